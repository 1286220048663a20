import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { unwrap, type ApiClient } from '@lockwell/sdk';
import { ConsoleSession } from '../api/console-session';
import type { Profile } from '../api/types';

type State =
  { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; profile: Profile };

interface SessionValue {
  state: State;
  api: ApiClient;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Reloads the profile (memberships and permissions change as tenants are created or joined). */
  reloadProfile(): Promise<void>;
  /** The session ended under us (revoked elsewhere, expired): back to the sign-in page with a reason. */
  ended(reason: string): void;
}

const SessionContext = createContext<SessionValue | null>(null);
const session = new ConsoleSession(window.location.origin);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const queryClient = useQueryClient();
  const api = session.client.api;

  const loadProfile = useCallback(async () => {
    const profile = await unwrap(api.GET('/api/v1/profile'));
    setState({ status: 'signed-in', profile });
  }, [api]);

  const ended = useCallback(
    (reason: string) => {
      queryClient.clear();
      setState({ status: 'signed-out', reason });
    },
    [queryClient],
  );

  useEffect(() => {
    session.onEnded = () => ended('Your session has ended. Sign in again.');
    void (async () => {
      try {
        if (await session.resume()) await loadProfile();
        else setState({ status: 'signed-out' });
      } catch {
        setState({ status: 'signed-out', reason: 'Lockwell could not be reached. Reload the page to try again.' });
      }
    })();
  }, [ended, loadProfile]);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      api,
      ended,
      reloadProfile: loadProfile,
      async signIn(email, password) {
        await session.signIn(email, password);
        await loadProfile();
      },
      async signOut() {
        try {
          await session.signOut();
        } finally {
          queryClient.clear();
          // The next person to sign in here starts on the start page, not on the screen the last one left.
          window.history.replaceState(null, '', '/');
          setState({ status: 'signed-out', reason: 'You are signed out.' });
        }
      },
    }),
    [state, api, ended, loadProfile, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user's profile (only rendered inside the signed-in shell). */
export function useProfile(): Profile {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useProfile while signed out');
  return state.profile;
}

export function useApi(): ApiClient {
  return useSession().api;
}
