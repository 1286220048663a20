import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { LockwellApiError } from '@lockwell/sdk';
import { isSessionEnded } from './api/error-help';
import { SessionProvider, useSession } from './session/session-context';
import { SignInPage } from './session/sign-in.page';
import { Shell } from './layout/shell';
import { HomePage } from './home/home.page';
import { AccountPage } from './account/account.page';
import { SessionsPage } from './account/sessions.page';
import { ApiTokensPage } from './account/api-tokens.page';
import { TenantsPage } from './tenants/tenants.page';
import { TenantPage } from './tenants/tenant.page';
import { SecretsPage } from './secrets/secrets.page';
import { SecretNewPage } from './secrets/secret-new.page';
import { SecretDetailPage } from './secrets/secret-detail.page';
import { AdminPage } from './admin/admin.page';
import { ConnectionsPage } from './connections/connections.page';
import { NotificationsPage } from './notifications/notifications.page';
import { NotFoundPage } from './layout/not-found.page';

/** Errors that mean "signed out" end the session in one place, whichever screen met them. */
function useQueryClientWithSessionEnd(onEnded: { current: () => void }): QueryClient {
  const [client] = useState(() => {
    const onError = (err: unknown) => {
      if (isSessionEnded(err)) onEnded.current();
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: {
          // A 4xx is an answer, not a glitch: show it at once instead of retrying it.
          retry: (count, err) => !(err instanceof LockwellApiError && err.status < 500) && count < 2,
          refetchOnWindowFocus: false,
          staleTime: 10_000,
        },
      },
    });
  });
  return client;
}

export function App() {
  const ended = useRef<() => void>(() => undefined);
  const queryClient = useQueryClientWithSessionEnd(ended);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <SessionEndBridge target={ended} />
        <BrowserRouter>
          <Screens />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function SessionEndBridge({ target }: { target: { current: () => void } }) {
  const { ended } = useSession();
  useEffect(() => {
    target.current = () => ended('Your session has ended. Sign in again.');
  }, [ended, target]);
  return null;
}

function Screens() {
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <main id="main" className="loading" aria-busy="true">
        <p>Loading Lockwell…</p>
      </main>
    );
  }
  if (state.status === 'signed-out') return <SignInPage reason={state.reason} />;
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<HomePage />} />
        <Route path="sign-in" element={<Navigate to="/" replace />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="sessions" element={<SessionsPage />} />
        <Route path="tokens" element={<ApiTokensPage />} />
        <Route path="secrets" element={<SecretsPage />} />
        <Route path="secrets/new" element={<SecretNewPage />} />
        <Route path="secrets/:secretId" element={<SecretDetailPage />} />
        <Route path="tenants" element={<TenantsPage />} />
        <Route path="tenants/:tenantId/secrets/new" element={<SecretNewPage />} />
        <Route path="tenants/:tenantId/secrets/:secretId" element={<SecretDetailPage />} />
        <Route path="tenants/:tenantId/*" element={<TenantPage />} />
        <Route path="connections" element={<ConnectionsPage />} />
        <Route path="connections/:tenantId" element={<ConnectionsPage />} />
        <Route path="notifications/*" element={<NotificationsPage />} />
        <Route path="admin/*" element={<AdminPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
