import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | null;
}

/**
 * oidc-provider's storage for one test provider: in memory like its default adapter, but reachable, so a test
 * can revoke a user's grants the way an account owner would at the provider ("remove this app").
 */
export class MapStore {
  readonly entries = new Map<string, Entry>();

  adapterFor(name: string): Adapter {
    const key = (id: string) => `${name}:${id}`;
    const live = (id: string): AdapterPayload | undefined => {
      const entry = this.entries.get(key(id));
      if (!entry) return undefined;
      if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
        this.entries.delete(key(id));
        return undefined;
      }
      return entry.payload;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        this.entries.set(key(id), {
          payload: { ...payload },
          expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null,
        });
      },
      find: async (id) => live(id),
      findByUid: async (uid) => [...this.entries.values()].find((e) => e.payload.uid === uid)?.payload,
      findByUserCode: async (code) => [...this.entries.values()].find((e) => e.payload.userCode === code)?.payload,
      consume: async (id) => {
        const payload = live(id);
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        this.dropWhere((p) => p.grantId === grantId);
      },
    };
  }

  /** Everything of one account: its grants and every token issued under them. */
  revokeAccount(accountId: string): number {
    const grants = new Set(
      [...this.entries.values()]
        .filter((e) => e.payload.accountId === accountId && e.payload.grantId)
        .map((e) => e.payload.grantId),
    );
    return this.dropWhere(
      (p) =>
        p.accountId === accountId ||
        (p.grantId !== undefined && grants.has(p.grantId)) ||
        (p.jti !== undefined && grants.has(p.jti)),
    );
  }

  private dropWhere(match: (p: AdapterPayload) => boolean): number {
    let dropped = 0;
    for (const [k, e] of this.entries) {
      if (match(e.payload)) {
        this.entries.delete(k);
        dropped++;
      }
    }
    return dropped;
  }
}
