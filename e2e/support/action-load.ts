// A load of one repeated action through the gateways (e.g. a token hand-out, a tenant rename), each request with
// its own X-Request-Id, remembering which were acknowledged (2xx) so a test can check their audit records.
import type { AckedAction } from './write-load.js';
import { clientFor } from './http.js';

export interface ActionStep {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token: string;
  body?: unknown;
  /** The audit action and resource a 2xx answer stands for. */
  action: string;
  resourceId: string;
}

export interface ActionFigures {
  requests: number;
  acknowledged: number;
  status500: number;
  status503: number;
  unexpected: Record<string, number>;
  networkErrors: number;
  longestMs: number;
  longest?: { what: string; startedAt: number; status: number | 'network error' };
}

const PAUSE_AFTER_ERROR_MS = 25;

export class ActionLoad {
  readonly acknowledged: AckedAction[] = [];
  /** Request ids of every write sent (acknowledged or not): none may have two audit records. */
  readonly writeRequestIds: string[] = [];
  /** Per worker: every 2xx answer's body, in order, and the request bodies whose outcome is unknown. */
  readonly answers = new Map<number, { acked: unknown[]; uncertain: unknown[] }>();
  readonly figures: ActionFigures = {
    requests: 0,
    acknowledged: 0,
    status500: 0,
    status503: 0,
    unexpected: {},
    networkErrors: 0,
    longestMs: 0,
  };
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly urls: string[],
    private readonly tag: string,
    /** The request worker `w` sends as its `n`th. */
    private readonly step: (worker: number, n: number) => ActionStep,
    private readonly timeoutMs = 60_000,
  ) {}

  start(workers: number): void {
    this.running = true;
    this.workers = Array.from({ length: workers }, (_, w) => this.worker(w));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async worker(w: number): Promise<void> {
    const api = clientFor(this.urls[w % this.urls.length]!);
    const mine = { acked: [] as unknown[], uncertain: [] as unknown[] };
    this.answers.set(w, mine);
    for (let n = 0; this.running; n++) {
      const s = this.step(w, n);
      const requestId = `${this.tag}-w${w}-${n}`;
      if (s.method !== 'GET') this.writeRequestIds.push(requestId);
      const o = { token: s.token, headers: { 'x-request-id': requestId }, signal: AbortSignal.timeout(this.timeoutMs) };
      const started = performance.now();
      this.figures.requests += 1;
      let status: number | undefined;
      try {
        const res =
          s.method === 'GET'
            ? await api.get(s.path, o)
            : s.method === 'POST'
              ? await api.post(s.path, s.body, o)
              : await api.put(s.path, s.body, o);
        status = res.status;
        if (status < 300) {
          this.figures.acknowledged += 1;
          this.acknowledged.push({ requestId, action: s.action, resourceId: s.resourceId });
          mine.acked.push(s.body ?? res.body);
        } else if (status === 500) this.figures.status500 += 1;
        else if (status === 503) this.figures.status503 += 1;
        else this.figures.unexpected[status] = (this.figures.unexpected[status] ?? 0) + 1;
      } catch {
        this.figures.networkErrors += 1;
      }
      const took = performance.now() - started;
      if (took > this.figures.longestMs) {
        this.figures.longestMs = took;
        const what = `${s.method} ${s.path.replace(/[0-9a-f-]{36}/g, ':id')}`;
        this.figures.longest = { what, startedAt: Date.now() - took, status: status ?? 'network error' };
      }
      if (status === undefined || status === 503) mine.uncertain.push(s.body);
      if (status === undefined || status >= 300) await new Promise((r) => setTimeout(r, PAUSE_AFTER_ERROR_MS));
    }
  }
}
