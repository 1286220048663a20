import { REDACTED, sanitizeDetail } from './sanitize.js';

describe('sanitizeDetail (AUD-3)', () => {
  it('redacts secret-looking keys at any depth but keeps counts, flags and metadata', () => {
    expect(
      sanitizeDetail({
        name: 'deploy key',
        secret_value: 'v',
        nested: [{ access_token: 'a', refresh_token_hash: 'h', client_secret: { x: 1 } }],
        password_rehashed: true,
        revoked_api_tokens: 3,
        token_id: 'a1b2',
        secret_key_name: 'api_key',
        roles: ['admin'],
      }),
    ).toEqual({
      name: 'deploy key',
      secret_value: REDACTED,
      nested: [{ access_token: REDACTED, refresh_token_hash: REDACTED, client_secret: REDACTED }],
      password_rehashed: true,
      revoked_api_tokens: 3,
      token_id: 'a1b2',
      secret_key_name: 'api_key',
      roles: ['admin'],
    });
  });
});
