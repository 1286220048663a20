import { jest } from '@jest/globals';
import { IdentitySessionRevokedList } from '@lockwell/contracts';
import type { Logger, RpcClient } from '@lockwell/service-kit';
import { RevokedSessions } from './revoked-sessions.js';

// SES-8: the gateway refuses access tokens of revoked sessions, and while it cannot know which sessions are
// revoked (identity not answering at start or after a reconnect) it answers 503 instead of guessing.
const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const U = '33333333-3333-4333-8333-333333333333';
const logger = { warn: () => undefined } as unknown as Logger;

/** An RpcClient whose identity answers with `answers` in turn (an Error is thrown); the last one repeats. */
function identity(answers: unknown[]) {
  const calls: string[] = [];
  const rpc = {
    request: async (contract: { subject: string }) => {
      calls.push(contract.subject);
      const next = answers.length > 1 ? answers.shift() : answers[0];
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as RpcClient;
  return { rpc, calls };
}
const list = (sessions: { session_id: string; revoked_at: string }[], ttl = 600) => ({
  sessions: sessions.map((s) => ({ ...s, user_id: U })),
  access_token_ttl_seconds: ttl,
});
const codeOf = (fn: () => unknown) => {
  try {
    return String(fn());
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('RevokedSessions', () => {
  afterEach(() => jest.useRealTimers());

  it('answers SERVICE_UNAVAILABLE until identity has sent the list, then knows its sessions', async () => {
    const { rpc, calls } = identity([list([{ session_id: S1, revoked_at: new Date().toISOString() }])]);
    const revoked = new RevokedSessions(rpc, logger);
    expect(codeOf(() => revoked.isRevoked(S1))).toBe('SERVICE_UNAVAILABLE');
    expect(revoked.ready).toBe(false); // /readyz says so too
    await revoked.resync();
    expect(revoked.ready).toBe(true);
    expect(calls).toEqual([IdentitySessionRevokedList.subject]);
    expect(revoked.isRevoked(S1)).toBe(true);
    expect(revoked.isRevoked(S2)).toBe(false);
    revoked.onApplicationShutdown();
  });

  it('keeps failing closed while identity does not answer, and retries until it does', async () => {
    const { rpc, calls } = identity([new Error('no responders'), list([])]);
    const revoked = new RevokedSessions(rpc, logger);
    const sync = revoked.resync();
    await new Promise((r) => setTimeout(r, 50));
    expect(codeOf(() => revoked.isRevoked(S1))).toBe('SERVICE_UNAVAILABLE');
    await sync;
    expect(calls).toHaveLength(2);
    expect(revoked.isRevoked(S1)).toBe(false);
  });

  it('fails closed again from the start of a resync (after a NATS reconnect) until the list is reloaded', async () => {
    let release: (v: unknown) => void = () => undefined;
    const pending = new Promise((r) => (release = r));
    const answers = [list([]), pending];
    const rpc = { request: async () => answers.shift() } as unknown as RpcClient;
    const revoked = new RevokedSessions(rpc, logger);
    await revoked.resync();
    expect(revoked.isRevoked(S1)).toBe(false);
    const again = revoked.resync();
    expect(codeOf(() => revoked.isRevoked(S1))).toBe('SERVICE_UNAVAILABLE');
    expect(revoked.ready).toBe(false);
    release(list([{ session_id: S1, revoked_at: new Date().toISOString() }]));
    await again;
    expect(revoked.isRevoked(S1)).toBe(true);
  });

  it('collapses concurrent resyncs into one request, and stops retrying at shutdown', async () => {
    const { rpc, calls } = identity([new Error('down')]);
    const revoked = new RevokedSessions(rpc, logger);
    const a = revoked.resync();
    const b = revoked.resync();
    expect(b).toBe(a);
    revoked.onApplicationShutdown();
    await a;
    expect(calls).toHaveLength(1);
    expect(codeOf(() => revoked.isRevoked(S1))).toBe('SERVICE_UNAVAILABLE');
  });

  it('remembers a revoked session until every access token of it has expired (TTL + 2 x skew), then forgets it', async () => {
    jest.useFakeTimers({
      now: new Date('2026-12-01T10:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const { rpc } = identity([list([], 600)]);
    const revoked = new RevokedSessions(rpc, logger);
    revoked.onApplicationBootstrap();
    await revoked.resync();
    revoked.add([S1], new Date());
    revoked.add([S2], new Date(Date.now() - 3_600_000));
    expect(revoked.isRevoked(S1)).toBe(true);
    // An event about a session revoked long ago is still kept a few seconds, never dropped on arrival.
    expect(revoked.isRevoked(S2)).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(revoked.isRevoked(S2)).toBe(false);
    expect(revoked.isRevoked(S1)).toBe(true);
    jest.advanceTimersByTime(540_000); // 600 s after the revocation: a token issued just before is still valid
    expect(revoked.isRevoked(S1)).toBe(true);
    jest.advanceTimersByTime(120_000); // past 600 s + 2 x 30 s of skew
    expect(revoked.isRevoked(S1)).toBe(false);
    revoked.onApplicationShutdown();
  });

  const pruning = async (ttl: number) => {
    jest.useFakeTimers({
      now: new Date('2026-12-01T10:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const { rpc } = identity([list([{ session_id: S1, revoked_at: new Date().toISOString() }], ttl)]);
    const revoked = new RevokedSessions(rpc, logger);
    revoked.onApplicationBootstrap();
    await revoked.resync();
    return revoked;
  };

  it('takes the access-token lifetime from identity and adds twice the clock skew (30 s)', async () => {
    const short = await pruning(30); // kept until 30 s + 2 x 30 s
    jest.advanceTimersByTime(60_000);
    expect(short.isRevoked(S1)).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(short.isRevoked(S1)).toBe(false);
    short.onApplicationShutdown();
    const exact = await pruning(60); // kept until exactly 120 s: the prune at 120 s drops it
    jest.advanceTimersByTime(60_000);
    expect(exact.isRevoked(S1)).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(exact.isRevoked(S1)).toBe(false);
    exact.onApplicationShutdown();
  });

  it('keeps a late event about a long-revoked session at least 5 s, even just before a prune', async () => {
    const revoked = await pruning(60);
    jest.advanceTimersByTime(58_000);
    revoked.add([S2], new Date(Date.now() - 3_600_000));
    jest.advanceTimersByTime(2_000);
    expect(revoked.isRevoked(S2)).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(revoked.isRevoked(S2)).toBe(false);
    revoked.onApplicationShutdown();
  });

  it('stops its prune timer at shutdown', async () => {
    const revoked = await pruning(60);
    expect(jest.getTimerCount()).toBe(1);
    revoked.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });
});
