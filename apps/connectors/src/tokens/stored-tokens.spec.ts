import { PLAIN_OAUTH2_QUIRKS } from '../presets/preset.js';
import { PRESETS } from '../presets/preset-registry.js';
import { splitScopes, storedTokensFrom, type StoredTokens } from './stored-tokens.js';
import { backoffUntil, isFresh, isUnexpired, proactiveRefreshAt } from './refresh-timing.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');
const response = (over: Record<string, unknown> = {}) => ({
  access_token: 'at',
  token_type: 'bearer',
  body: {},
  ...over,
});

describe('storedTokensFrom', () => {
  it("uses expires_in, or each preset's default lifetime when it is missing (null: the token does not expire)", () => {
    expect(
      storedTokensFrom(response({ expires_in: 60 }), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: [] }).expires_at,
    ).toBe('2026-12-10T12:01:00.000Z');
    for (const p of PRESETS) {
      const expected =
        p.quirks.default_lifetime_seconds === null
          ? null
          : new Date(NOW.getTime() + p.quirks.default_lifetime_seconds * 1000).toISOString();
      expect({
        preset: p.id,
        expires_at: storedTokensFrom(response(), p.quirks, NOW, { requestedScopes: [] }).expires_at,
      }).toEqual({ preset: p.id, expires_at: expected });
    }
  });

  it('keeps the old refresh token when a refresh response has none, and takes a rotated one when it has', () => {
    const previous = storedTokensFrom(response({ refresh_token: 'rt-1', scope: 'a b' }), PLAIN_OAUTH2_QUIRKS, NOW, {
      requestedScopes: [],
    });
    expect(
      storedTokensFrom(response(), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: [], previous }).refresh_token,
    ).toBe('rt-1');
    expect(
      storedTokensFrom(response({ refresh_token: 'rt-2' }), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: [], previous })
        .refresh_token,
    ).toBe('rt-2');
    expect(storedTokensFrom(response(), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: [] }).refresh_token).toBeNull();
  });

  it('stores the granted scopes (space- or comma-separated), else what was asked, else the previous grant (OC-3)', () => {
    expect(
      storedTokensFrom(response({ scope: 'repo,gist' }), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: ['x'] }).scopes,
    ).toEqual(['repo', 'gist']);
    expect(storedTokensFrom(response(), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: ['x', 'y'] }).scopes).toEqual([
      'x',
      'y',
    ]);
    const previous = { scopes: ['p'], extra: {}, refresh_token: null } as unknown as StoredTokens;
    expect(storedTokensFrom(response(), PLAIN_OAUTH2_QUIRKS, NOW, { requestedScopes: ['x'], previous }).scopes).toEqual(
      ['p'],
    );
    expect(splitScopes(' a  b,c ')).toEqual(['a', 'b', 'c']);
  });

  it('keeps only the fields the preset names, not oversized ones, and carries them over a refresh that omits them', () => {
    const quirks = { ...PLAIN_OAUTH2_QUIRKS, keep_token_fields: ['instance_url', 'big'] };
    const first = storedTokensFrom(
      response({ body: { instance_url: 'https://x.my.salesforce.com', other: 1, big: 'x'.repeat(5000) } }),
      quirks,
      NOW,
      { requestedScopes: [] },
    );
    expect(first.extra).toEqual({ instance_url: 'https://x.my.salesforce.com' });
    expect(storedTokensFrom(response(), quirks, NOW, { requestedScopes: [], previous: first }).extra).toEqual({
      instance_url: 'https://x.my.salesforce.com',
    });
  });
});

describe('refresh timing', () => {
  const tokens = (lifeS: number | null, refresh: string | null = 'rt'): StoredTokens => ({
    access_token: 'at',
    token_type: 'bearer',
    refresh_token: refresh,
    issued_at: NOW.toISOString(),
    expires_at: lifeS === null ? null : new Date(NOW.getTime() + lifeS * 1000).toISOString(),
    scopes: [],
    extra: {},
  });
  const at = (s: number) => new Date(NOW.getTime() + s * 1000);

  it('is fresh until 20% of the lifetime is left, at most a minute before expiry', () => {
    expect(isFresh(tokens(10), at(7.9))).toBe(true);
    expect(isFresh(tokens(10), at(8.1))).toBe(false);
    expect(isFresh(tokens(3600), at(3539))).toBe(true);
    expect(isFresh(tokens(3600), at(3541))).toBe(false);
    expect(isFresh(tokens(null), at(1e9))).toBe(true);
    expect(isUnexpired(tokens(10), at(9.9))).toBe(true);
    expect(isUnexpired(tokens(10), at(10))).toBe(false);
  });

  it('schedules the proactive refresh at 80% of the lifetime, within the jitter, and never without a refresh token or expiry', () => {
    expect(proactiveRefreshAt(tokens(100), () => 0.5)).toEqual(at(80));
    expect(proactiveRefreshAt(tokens(100), () => 0)).toEqual(at(75));
    expect(proactiveRefreshAt(tokens(100), () => 1)).toEqual(at(85));
    expect(proactiveRefreshAt(tokens(86_400 * 30), () => 1)).toEqual(at(86_400 * 24 + 60));
    expect(proactiveRefreshAt(tokens(100, null))).toBeNull();
    expect(proactiveRefreshAt(tokens(null))).toBeNull();
  });

  it('backs off exponentially with jitter, capped at 15 minutes', () => {
    expect(backoffUntil(0, NOW, () => 1)).toEqual(at(5));
    expect(backoffUntil(3, NOW, () => 1)).toEqual(at(40));
    expect(backoffUntil(3, NOW, () => 0)).toEqual(at(20));
    expect(backoffUntil(50, NOW, () => 1)).toEqual(at(900));
  });
});
