import { Page } from '../layout/page';
import { SecretsBrowser } from './secrets-browser';

/** The caller's personal secrets: only they can see them. */
export function SecretsPage() {
  return (
    <Page title="Personal secrets">
      <p className="muted">Only you can see these. Shared secrets live in tenants.</p>
      <SecretsBrowser scope="user" canWrite />
    </Page>
  );
}
