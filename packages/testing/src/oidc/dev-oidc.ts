// `npm run dev:oidc`: the test OpenID provider as a standalone local provider for trying connectors by hand.
// Log in with any name and password; access tokens live LOCKWELL_DEV_OIDC_TOKEN_TTL seconds (default 120) so a
// refresh is seen within minutes. Loopback only; development only (dev signing keys, dev login forms).
import { startTestOidcProvider } from './test-oidc-provider.js';

const port = Number(process.env.LOCKWELL_DEV_OIDC_PORT ?? 9400);
const gateway = process.env.LOCKWELL_PUBLIC_URL ?? `http://127.0.0.1:${process.env.LOCKWELL_PORT ?? 8080}`;
const client = { client_id: 'lockwell-dev', client_secret: 'lockwell-dev-secret-change-me-0123456789' };
const provider = await startTestOidcProvider({
  port,
  clients: [{ ...client, redirect_uris: [`${gateway}/api/v1/services/oauth/callback`] }],
  accessTokenTtlSeconds: Number(process.env.LOCKWELL_DEV_OIDC_TOKEN_TTL ?? 120),
  scopes: ['profile'],
});
const say = (line: string) => process.stdout.write(`${line}\n`);
say(
  `[dev-oidc] OpenID provider at ${provider.issuer} (discovery: ${provider.issuer}/.well-known/openid-configuration)`,
);
say(
  `[dev-oidc] client_id ${client.client_id}, client_secret ${client.client_secret}, redirect URI ${gateway}/api/v1/services/oauth/callback`,
);
say('[dev-oidc] sign in with any login and password; Ctrl-C stops it');
const stop = () => void provider.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
