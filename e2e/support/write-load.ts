// A mixed write load through the gateway that remembers every answer, so a test can prove afterwards that no
// acknowledged write was lost: each worker creates, updates and reads its own personal or tenant secrets
// (one request at a time per worker, so a secret's versions are known exactly), with a unique value per write.
// Each request carries its own X-Request-Id, so a test can find the audit record of every acknowledged write.
import { clientFor } from './http.js';

export interface LoadActor {
  label: string;
  token: string;
  /** Personal secrets of the token's user, or secrets of this tenant. */
  tenantId?: string;
}

interface TrackedSecret {
  id: string;
  path: string;
  token: string;
  /** Every write answered 2xx, in order. A version appearing twice means an acknowledged write was lost and its version number reused. */
  acks: { version: number; value: string }[];
  /** Values sent in writes whose outcome is unknown (503, no answer): each may or may not have landed. */
  uncertain: Set<string>;
}

interface UncertainCreate {
  path: string;
  token: string;
  name: string;
  value: string;
}

/** A request answered 2xx (a write, or a read: reads are audited too), by the request id it was sent with (the audit record carries it). */
export interface AckedAction {
  requestId: string;
  action: string;
  resourceId: string;
}

export interface LoadFigures {
  requests: number;
  ackedWrites: number;
  verified: number;
  lost: number;
  status500: number;
  status503: number;
  /** Answers other than 2xx, 500 and 503 (e.g. 404, 409): a bug under this load. */
  unexpected: Record<string, number>;
  networkErrors: number;
  /** Reads that returned an older version than one already acknowledged, or a value nobody wrote there. */
  inconsistentReads: number;
  /** Creates answered 503 that landed after all, checked to hold exactly the value sent. */
  uncertainCreatesFound: number;
  longestMs: number;
  /** The slowest request: what it was and when it started (epoch ms), to line it up with an injected fault. */
  longest?: { what: string; startedAt: number; status: number | 'network error' };
}

const SECRETS_PER_WORKER = 4;
// After an error answer a worker pauses briefly, as a client honouring Retry-After would (scaled down), instead
// of spinning thousands of 503s a second on cores the rest of the test suite shares.
const PAUSE_AFTER_ERROR_MS = 25;

const newestVersion = (secret: TrackedSecret) => Math.max(...secret.acks.map((a) => a.version));

export class WriteLoad {
  private readonly secrets: TrackedSecret[] = [];
  private readonly uncertainCreates: UncertainCreate[] = [];
  private readonly api: ReturnType<typeof clientFor>;
  private readonly apis: ReturnType<typeof clientFor>[];
  /** Every write answered 2xx; `writeRequestIds` also holds those whose outcome is unknown. */
  readonly acknowledged: AckedAction[] = [];
  readonly writeRequestIds: string[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private seq = 0;
  readonly figures: LoadFigures = {
    requests: 0,
    ackedWrites: 0,
    verified: 0,
    lost: 0,
    status500: 0,
    status503: 0,
    unexpected: {},
    networkErrors: 0,
    inconsistentReads: 0,
    uncertainCreatesFound: 0,
    longestMs: 0,
  };

  /** `baseUrl`: one gateway, or several (worker i talks to gateway i mod n, as clients behind a balancer would). */
  constructor(
    baseUrl: string | string[],
    private readonly actors: LoadActor[],
    private readonly tag: string,
    /** Gives up on a request after this long (counted as a network error; longestMs shows it). */
    private readonly timeoutMs = 60_000,
  ) {
    const urls = [baseUrl].flat();
    this.apis = urls.map(clientFor);
    this.api = this.apis[0]!;
  }

  start(workers: number): void {
    this.running = true;
    this.workers = Array.from({ length: workers }, (_, i) => this.worker(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async worker(index: number): Promise<void> {
    const actor = this.actors[index % this.actors.length];
    const path = actor.tenantId ? '/api/v1/tenant-secrets' : '/api/v1/user-secrets';
    const mine: TrackedSecret[] = [];
    while (this.running) {
      const roll = Math.random();
      if (mine.length < SECRETS_PER_WORKER || roll < 0.1) await this.create(actor, path, index, mine);
      else if (roll < 0.6) await this.update(mine[Math.floor(Math.random() * mine.length)], index);
      else await this.read(mine[Math.floor(Math.random() * mine.length)], index);
    }
  }

  private nextValue(worker: number): string {
    this.seq += 1;
    return `${this.tag}-w${worker}-${this.seq}`;
  }

  /** One request, timed and counted; undefined when no HTTP answer came back at all. */
  private async call(
    worker: number,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; requestId: string } | undefined> {
    const started = performance.now();
    this.figures.requests += 1;
    const requestId = `${this.tag}-r${this.figures.requests}`;
    if (method !== 'GET') this.writeRequestIds.push(requestId);
    const api = this.apis[worker % this.apis.length]!;
    const o = { token, headers: { 'x-request-id': requestId }, signal: AbortSignal.timeout(this.timeoutMs) };
    let res: { status: number; body: any; requestId: string } | undefined;
    try {
      const answer =
        method === 'GET'
          ? await api.get(url, o)
          : method === 'POST'
            ? await api.post(url, body, o)
            : await api.put(url, body, o);
      res = { status: answer.status, body: answer.body, requestId };
      this.count(res.status);
    } catch {
      this.figures.networkErrors += 1;
    }
    const took = performance.now() - started;
    if (took > this.figures.longestMs) {
      this.figures.longestMs = took;
      this.figures.longest = {
        what: `${method} ${url.replace(/[0-9a-f-]{36}/g, ':id')}`,
        startedAt: Date.now() - took,
        status: res?.status ?? 'network error',
      };
    }
    if (!res || res.status >= 300) await new Promise((r) => setTimeout(r, PAUSE_AFTER_ERROR_MS));
    return res;
  }

  private count(status: number): void {
    if (status >= 200 && status < 300) return;
    if (status === 500) this.figures.status500 += 1;
    else if (status === 503) this.figures.status503 += 1;
    else this.figures.unexpected[status] = (this.figures.unexpected[status] ?? 0) + 1;
  }

  private async create(actor: LoadActor, path: string, worker: number, mine: TrackedSecret[]): Promise<void> {
    const value = this.nextValue(worker);
    const name = `key-${value}`;
    const body = {
      service_name: `load-${this.tag}`,
      secret_key_name: name,
      secret_value: value,
      ...(actor.tenantId ? { tenant_id: actor.tenantId } : {}),
    };
    const res = await this.call(worker, 'POST', `${path}/`, actor.token, body);
    if (res?.status === 201) {
      this.acknowledged.push({ requestId: res.requestId, action: 'secret.create', resourceId: res.body.id });
      const secret: TrackedSecret = {
        id: res.body.id,
        path,
        token: actor.token,
        acks: [{ version: 1, value }],
        uncertain: new Set(),
      };
      this.figures.ackedWrites += 1;
      mine.push(secret);
      this.secrets.push(secret);
    } else if (!res || res.status === 503) {
      this.uncertainCreates.push({ path, token: actor.token, name, value });
    }
  }

  private async update(secret: TrackedSecret, worker: number): Promise<void> {
    const value = this.nextValue(worker);
    const res = await this.call(worker, 'PUT', `${secret.path}/${secret.id}`, secret.token, { secret_value: value });
    if (res?.status === 200) {
      this.acknowledged.push({ requestId: res.requestId, action: 'secret.update', resourceId: secret.id });
      secret.acks.push({ version: res.body.version, value });
      this.figures.ackedWrites += 1;
    } else if (!res || res.status === 503) {
      secret.uncertain.add(value);
    }
  }

  private async read(secret: TrackedSecret, worker: number): Promise<void> {
    const newestAcked = newestVersion(secret);
    const res = await this.call(worker, 'GET', `${secret.path}/${secret.id}`, secret.token);
    if (res?.status !== 200) return;
    this.acknowledged.push({ requestId: res.requestId, action: 'secret.read', resourceId: secret.id });
    if (!this.plausible(secret, res.body.version, res.body.secret_value) || res.body.version < newestAcked)
      this.figures.inconsistentReads += 1;
  }

  private plausible(secret: TrackedSecret, version: number, value: string): boolean {
    const acked = secret.acks.filter((a) => a.version === version);
    return acked.length ? acked.some((a) => a.value === value) : secret.uncertain.has(value);
  }

  /**
   * After the load: every acknowledged version must read back with its acknowledged value, the current
   * version must be at least the newest acknowledged one, and a create whose answer was 503 must either be
   * absent or hold exactly the value sent.
   */
  async verify(concurrency = 8): Promise<LoadFigures> {
    const checks: (() => Promise<void>)[] = [];
    for (const secret of this.secrets) {
      for (const { version, value } of secret.acks) {
        checks.push(async () => {
          const res = await this.api.get(`${secret.path}/${secret.id}?version=${version}`, { token: secret.token });
          if (res.status === 200 && res.body.secret_value === value) this.figures.verified += 1;
          else this.figures.lost += 1;
        });
      }
      checks.push(async () => {
        const res = await this.api.get(`${secret.path}/${secret.id}`, { token: secret.token });
        const newestAcked = newestVersion(secret);
        if (
          res.status !== 200 ||
          res.body.version < newestAcked ||
          !this.plausible(secret, res.body.version, res.body.secret_value)
        )
          this.figures.inconsistentReads += 1;
      });
    }
    for (const attempt of this.uncertainCreates) {
      checks.push(async () => {
        const found = await this.findByName(attempt);
        if (!found) return;
        const res = await this.api.get(`${attempt.path}/${found}`, { token: attempt.token });
        if (res.status === 200 && res.body.secret_value === attempt.value && res.body.version === 1)
          this.figures.uncertainCreatesFound += 1;
        else this.figures.inconsistentReads += 1;
      });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < checks.length) await checks[next++]();
      }),
    );
    return this.figures;
  }

  private async findByName(attempt: UncertainCreate): Promise<string | undefined> {
    const tenant = attempt.path.includes('tenant')
      ? this.actors.find((a) => a.token === attempt.token && a.tenantId)?.tenantId
      : undefined;
    const query = new URLSearchParams({ q: attempt.name, limit: '5', ...(tenant ? { tenant_id: tenant } : {}) });
    const res = await this.api.get(`${attempt.path}?${query}`, { token: attempt.token });
    return (res.body?.items as { id: string; secret_key_name: string }[] | undefined)?.find(
      (i) => i.secret_key_name === attempt.name,
    )?.id;
  }
}
