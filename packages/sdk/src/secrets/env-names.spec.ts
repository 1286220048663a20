import { buildEnv, deriveEnvName } from './env-names.js';

describe('environment variable names', () => {
  it.each([
    [['openai', 'api-key'], 'OPENAI_API_KEY'],
    [['stripe', 'secret.key'], 'STRIPE_SECRET_KEY'],
    [['db', 'DATABASE_URL'], 'DB_DATABASE_URL'],
    [['DATABASE_URL'], 'DATABASE_URL'],
    [['my service', '--token--'], 'MY_SERVICE_TOKEN'],
    [['3scale', 'key'], '_3SCALE_KEY'],
    [['café', 'clé'], 'CAF_CL'],
    [['---'], undefined],
  ])('%j -> %s', (parts, expected) => {
    expect(deriveEnvName(...parts)).toBe(expected);
  });

  it('reports names claimed by several secrets and leaves them out', () => {
    const build = buildEnv([
      { name: 'OPENAI_API_KEY', value: 'a', source: 'openai/api-key' },
      { name: 'OPENAI_API_KEY', value: 'b', source: 'openai/api_key' },
      { name: 'DB_URL', value: 'c', source: 'db/url' },
      { name: undefined, value: 'd', source: 'x/---' },
    ]);
    expect(build.env).toEqual({ DB_URL: 'c' });
    expect(build.collisions).toEqual([{ name: 'OPENAI_API_KEY', sources: ['openai/api-key', 'openai/api_key'] }]);
    expect(build.unnamed).toEqual(['x/---']);
  });
});
