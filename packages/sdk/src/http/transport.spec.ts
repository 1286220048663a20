import { LockwellNetworkError } from '../errors.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { createTransport, type AuthProvider } from './transport.js';

const URL_ = 'http://lockwell.test/api/v1/tenants';
const json = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ status }), { status, headers });

function harness(answers: Array<Response | Error>, auth?: AuthProvider) {
  const seen: Request[] = [];
  const waits: number[] = [];
  const send = createTransport({
    fetch: async (req) => {
      seen.push(req);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
    auth,
    retry: { ...DEFAULT_RETRY_POLICY, retries: 2, maxRetryAfterMs: 10_000 },
    sleep: async (ms) => void waits.push(ms),
    now: () => 0,
  });
  return { send, seen, waits };
}

describe('transport', () => {
  it('waits as long as Retry-After says on 429, for writes too, then succeeds', async () => {
    const h = harness([json(429, { 'retry-after': '3' }), json(201)]);
    const res = await h.send(new Request(URL_, { method: 'POST', body: '{"name":"x"}' }));
    expect(res.status).toBe(201);
    expect(h.waits).toEqual([3000]);
    expect(await h.seen[1].text()).toBe('{"name":"x"}');
  });

  it('hands back a 429 whose Retry-After is longer than it is willing to wait', async () => {
    const h = harness([json(429, { 'retry-after': '900' })]);
    expect((await h.send(new Request(URL_))).status).toBe(429);
    expect(h.waits).toEqual([]);
  });

  it('retries a read on 503 with backoff, up to the limit', async () => {
    const h = harness([json(503), json(503), json(503)]);
    expect((await h.send(new Request(URL_))).status).toBe(503);
    expect(h.seen).toHaveLength(3);
    expect(h.waits).toHaveLength(2);
  });

  it('does not replay a write after a 503 (it may have been applied)', async () => {
    const h = harness([json(503), json(201)]);
    expect((await h.send(new Request(URL_, { method: 'POST', body: '{}' }))).status).toBe(503);
    expect(h.seen).toHaveLength(1);
  });

  it('retries a read after a network failure, then reports a LockwellNetworkError', async () => {
    const h = harness([new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed')]);
    await expect(h.send(new Request(URL_))).rejects.toBeInstanceOf(LockwellNetworkError);
    expect(h.seen).toHaveLength(3);
  });

  it('renews the credential once after a 401 and sends the request again with the new one', async () => {
    let token = 'old';
    const renewals: string[] = [];
    const auth: AuthProvider = {
      authorization: async () => `Bearer ${token}`,
      renew: async (rejected) => {
        renewals.push(rejected);
        token = 'new';
        return true;
      },
    };
    const h = harness([json(401), json(200)], auth);
    expect((await h.send(new Request(URL_))).status).toBe(200);
    expect(renewals).toEqual(['Bearer old']);
    expect(h.seen.map((r) => r.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives a second 401 back instead of renewing in a loop', async () => {
    const auth: AuthProvider = { authorization: async () => 'Bearer t', renew: async () => true };
    const h = harness([json(401), json(401), json(200)], auth);
    expect((await h.send(new Request(URL_))).status).toBe(401);
    expect(h.seen).toHaveLength(2);
  });
});
