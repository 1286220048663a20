import fc from 'fast-check';
import * as oidc from 'openid-client';
import { PLAIN_OAUTH2_QUIRKS } from '../presets/preset.js';
import { classify, OpenIdOAuthClient } from './openid-oauth-client.js';
import { ProviderError, type ProviderSettings } from './oauth-client.port.js';
import { providerFetch } from './provider-fetch.js';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const fetchOf = (answer: () => Response | Promise<Response>) => (async () => answer()) as unknown as typeof fetch;
const settings: ProviderSettings = {
  protocol: 'oauth2',
  authorization_url: 'https://p.example.test/auth',
  token_url: 'https://p.example.test/token',
  revocation_url: null,
  issuer: null,
  jwks_uri: null,
  redirect_uri: 'https://l.example.test/cb',
  extra_auth_params: {},
  quirks: PLAIN_OAUTH2_QUIRKS,
};

describe('providerFetch (OC-7: untrusted provider responses)', () => {
  const init = { method: 'POST', headers: {} };

  it('refuses a body larger than the limit, declared or streamed', async () => {
    const limited = providerFetch({
      timeoutMs: 1000,
      maxBytes: 100,
      errorsWithStatus200: false,
      fetch: fetchOf(() => json({ access_token: 'x'.repeat(200) })),
    });
    await expect(limited('https://p.example.test/token', init)).rejects.toMatchObject({ kind: 'invalid' });
    const streamed = new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(150)), c.close()) });
    const chunked = providerFetch({
      timeoutMs: 1000,
      maxBytes: 100,
      errorsWithStatus200: false,
      fetch: fetchOf(() => new Response(streamed)),
    });
    await expect(chunked('https://p.example.test/token', init)).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('gives up after its deadline', async () => {
    const slow = providerFetch({
      timeoutMs: 50,
      maxBytes: 1000,
      errorsWithStatus200: false,
      fetch: ((_: string, o: RequestInit) =>
        new Promise((_r, reject) =>
          o.signal!.addEventListener('abort', () => reject(o.signal!.reason)),
        )) as unknown as typeof fetch,
    });
    const err = await slow('https://p.example.test/token', init).catch((e: unknown) => e);
    expect(classify(err, 'refresh')).toMatchObject({ kind: 'unavailable' });
  });

  it('turns a 200 carrying an error (GitHub, Slack) into the 400 of RFC 6749 §5.2, only when the preset says so', async () => {
    const github = providerFetch({
      timeoutMs: 1000,
      maxBytes: 1000,
      errorsWithStatus200: true,
      fetch: fetchOf(() => json({ error: 'bad_refresh_token' })),
    });
    expect((await github('https://p/token', init)).status).toBe(400);
    const slack = providerFetch({
      timeoutMs: 1000,
      maxBytes: 1000,
      errorsWithStatus200: true,
      fetch: fetchOf(() => json({ ok: false, error: 'invalid_refresh_token' })),
    });
    expect(await (await slack('https://p/token', init)).json()).toEqual({ error: 'invalid_refresh_token' });
    const plain = providerFetch({
      timeoutMs: 1000,
      maxBytes: 1000,
      errorsWithStatus200: false,
      fetch: fetchOf(() => json({ error: 'bad_refresh_token' })),
    });
    expect((await plain('https://p/token', init)).status).toBe(200);
  });
});

describe('the OAuth client against malformed token responses (OC-7, fast-check)', () => {
  const client = (answer: () => Response) => {
    const c = new OpenIdOAuthClient({
      allowLoopbackHttp: false,
      defaultRedirectUri: null,
      returnUrlPrefixes: [],
      allowUnboundAuthorization: false,
      refreshIntervalMs: 0,
      httpTimeoutMs: 1000,
      maxResponseBytes: 4096,
    });
    const original = globalThis.fetch;
    return {
      refresh: async () => {
        globalThis.fetch = fetchOf(answer);
        try {
          return await c.refresh(settings, { client_id: 'c', client_secret: 's' }, 'rt');
        } finally {
          globalThis.fetch = original;
        }
      },
    };
  };

  it('never accepts a response without a usable access token, and fails only with a ProviderError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              access_token: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
              token_type: fc.oneof(fc.string(), fc.integer()),
              expires_in: fc.oneof(fc.integer(), fc.string(), fc.double()),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.constantFrom(200, 400, 401, 429, 500, 503),
        async (body, status) => {
          const outcome = await client(() => json(body, status))
            .refresh()
            .then(
              (tokens) => ({ ok: tokens }),
              (err: unknown) => ({ err }),
            );
          if ('ok' in outcome) {
            expect(status).toBe(200);
            expect(typeof outcome.ok.access_token === 'string' && outcome.ok.access_token.length > 0).toBe(true);
          } else {
            expect(outcome.err).toBeInstanceOf(ProviderError);
            if (status === 429 || status >= 500) expect((outcome.err as ProviderError).kind).toBe('unavailable');
          }
        },
      ),
      { numRuns: 150, seed: 18 },
    );
  });

  it('classifies invalid_grant as a refusal with its code, and network failures as unavailable', () => {
    expect(classify(new TypeError('fetch failed'), 'refresh')).toMatchObject({ kind: 'unavailable' });
    const refused = classify(
      Object.assign(Object.create(oidc.ResponseBodyError.prototype), { status: 400, error: 'invalid_grant' }),
      'refresh',
    );
    expect(refused).toMatchObject({ kind: 'refused', providerCode: 'invalid_grant' });
  });
});
