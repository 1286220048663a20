import { SessionAuth, type SessionRefresher } from './credentials.js';
import { MemorySessionStore, type SessionTokens } from './session-store.js';

describe('SessionAuth', () => {
  let now: number;
  let spent: Set<string>;
  let calls: string[];
  let store: MemorySessionStore;
  let persisted: SessionTokens[];

  // A refresh endpoint that rotates like identity does: a spent refresh token is refused.
  const refresher: SessionRefresher = async (refreshToken) => {
    calls.push(refreshToken);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (spent.has(refreshToken)) throw new Error(`reuse of ${refreshToken}`);
    spent.add(refreshToken);
    const n = calls.length;
    return { access_token: `at-${n}`, refresh_token: `rt-${n}`, expires_in: 600 };
  };

  beforeEach(() => {
    now = 1_000_000;
    spent = new Set();
    calls = [];
    persisted = [];
    store = new MemorySessionStore({ refreshToken: 'rt-0' }, (t) => void persisted.push(t));
  });

  it('refreshes once for many concurrent callers and gives them all the new token', async () => {
    const auth = new SessionAuth(store, refresher, () => now);
    const headers = await Promise.all(Array.from({ length: 20 }, () => auth.authorization()));
    expect(new Set(headers)).toEqual(new Set(['Bearer at-1']));
    expect(calls).toEqual(['rt-0']);
    expect(persisted).toEqual([{ refreshToken: 'rt-1', accessToken: 'at-1', accessTokenExpiresAt: now + 600_000 }]);
  });

  it('uses the stored access token until 30 s before it expires, then refreshes with the rotated token', async () => {
    const auth = new SessionAuth(store, refresher, () => now);
    await auth.authorization();
    now += 560_000;
    expect(await auth.authorization()).toBe('Bearer at-1');
    now += 20_000;
    expect(await auth.authorization()).toBe('Bearer at-2');
    expect(calls).toEqual(['rt-0', 'rt-1']);
  });

  it('two clients on one store never spend the same refresh token twice', async () => {
    const a = new SessionAuth(store, refresher, () => now);
    const b = new SessionAuth(store, refresher, () => now);
    const [ha, hb] = await Promise.all([a.authorization(), b.authorization()]);
    expect(ha).toBe(hb);
    expect(calls).toEqual(['rt-0']);
  });

  it('after a 401 it refreshes even though the token looked fresh, once for concurrent rejections', async () => {
    const auth = new SessionAuth(store, refresher, () => now);
    const first = await auth.authorization();
    await Promise.all([auth.renew(first), auth.renew(first), auth.renew(first)]);
    expect(await auth.authorization()).toBe('Bearer at-2');
    expect(calls).toEqual(['rt-0', 'rt-1']);
  });

  it('a failed refresh reaches the caller and the next call tries again', async () => {
    let fail = true;
    const auth = new SessionAuth(
      store,
      async (rt) => {
        if (fail) throw new Error('INVALID_REFRESH_TOKEN');
        return refresher(rt);
      },
      () => now,
    );
    await expect(auth.authorization()).rejects.toThrow('INVALID_REFRESH_TOKEN');
    fail = false;
    expect(await auth.authorization()).toBe('Bearer at-1');
  });
});
