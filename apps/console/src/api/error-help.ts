// What an API error means for the person in front of the console, and what they can do about it. The codes are
// the API's (docs/openapi.json, "Error"); anything unknown still shows its code and request id.
import { LockwellApiError, LockwellError } from '@lockwell/sdk';

export interface ErrorHelp {
  code: string;
  /** What happened, in words. */
  title: string;
  /** What to do next. */
  action: string;
  details: { field?: string; issue: string }[];
  requestId?: string;
}

const HELP: Record<string, [string, string]> = {
  VALIDATION_FAILED: ['Some fields are not valid.', 'Correct the fields listed below and try again.'],
  BAD_REQUEST: ['The request was malformed.', 'Reload the page and try again.'],
  INVALID_CURSOR: ['This page of results is no longer valid.', 'Go back to the first page.'],
  UNAUTHENTICATED: ['Your session has ended.', 'Sign in again.'],
  INVALID_CREDENTIALS: ['The email or password is wrong.', 'Check both and try again.'],
  INVALID_REFRESH_TOKEN: ['Your session has ended.', 'Sign in again.'],
  FORBIDDEN: [
    'You are not allowed to do this.',
    'Ask an owner or admin of the tenant (or of the installation) for the permission.',
  ],
  NOT_FOUND: ['It does not exist, or you cannot see it.', 'Check the link, or go back to the list.'],
  ROUTE_NOT_FOUND: [
    'The server does not know this request.',
    'The console and the server may be out of step: reload the page.',
  ],
  USER_NOT_FOUND: [
    'There is no such user.',
    'Check the email address: the person needs a Lockwell account first (an installation admin creates it).',
  ],
  ROLE_NOT_FOUND: ['There is no such role.', 'Pick one of the listed roles.'],
  SESSION_NOT_FOUND: ['That session no longer exists.', 'Reload the list.'],
  TOKEN_NOT_FOUND: ['That API token no longer exists.', 'Reload the list.'],
  TENANT_NOT_FOUND: ['The tenant does not exist, or you are not a member.', 'Go back to your tenants.'],
  MEMBER_NOT_FOUND: ['That person is not a member of this tenant.', 'Reload the member list.'],
  SECRET_NOT_FOUND: ['The secret does not exist, or you cannot see it.', 'Go back to the list of secrets.'],
  VERSION_NOT_FOUND: ['That version of the secret does not exist.', 'Pick a version from the list.'],
  EMAIL_TAKEN: ['A user with this email already exists.', 'Use another email address.'],
  ROLE_NAME_TAKEN: ['A role with this name already exists.', 'Choose another name.'],
  SLUG_TAKEN: [
    'Another tenant already uses this slug.',
    'Choose another slug, or leave it empty to have one made from the name.',
  ],
  ALREADY_MEMBER: ['This person is already a member.', 'Change their role in the list instead.'],
  LAST_OWNER: ['A tenant must keep at least one owner.', 'Make another member an owner first.'],
  TENANT_DELETING: ['This tenant is being deleted.', 'Nothing can change in it any more.'],
  SECRET_ALREADY_EXISTS: [
    'A secret with this service and key name already exists in this environment.',
    'Change the service, the key name or the environment, or edit the existing secret.',
  ],
  INVALID_STATE: ['The secret is not in a state that allows this.', 'Reload the page to see its current state.'],
  CONFLICT: ['This conflicts with the current state.', 'Reload the page and try again.'],
  PRECONDITION_FAILED: [
    'Someone changed this secret since you loaded it.',
    'Reload the page, check the change, and try again.',
  ],
  SERVICE_NOT_FOUND: ['That third-party service does not exist (any more).', 'Reload the list of services.'],
  CONNECTION_NOT_FOUND: ['That connection does not exist, or it is not yours.', 'Reload the list of connections.'],
  OAUTH_STATE_INVALID: [
    'The provider sent you back with a sign-in request that is unknown, expired, already used or from another browser.',
    'Start connecting again from this browser, and finish within ten minutes.',
  ],
  AUTHORIZATION_FAILED: [
    'The provider did not grant access, or its answer could not be checked.',
    'Try connecting again; if it fails again, ask an installation admin to check the service settings.',
  ],
  CONNECTION_REAUTH_REQUIRED: ['The provider no longer accepts this connection.', 'Reconnect it.'],
  PROVIDER_ERROR: [
    'The provider gave an unexpected answer.',
    'Try again later; if it persists, tell your administrator.',
  ],
  PROVIDER_UNAVAILABLE: ['The provider cannot be reached.', 'Try again in a moment.'],
  PAYLOAD_TOO_LARGE: ['The value is too large.', 'Shorten it and try again.'],
  RATE_LIMITED: ['Too many attempts.', 'Wait a moment and try again.'],
  SERVICE_UNAVAILABLE: [
    'A part of Lockwell is not answering.',
    'Try again in a moment; if it persists, tell your administrator.',
  ],
  AUDIT_UNAVAILABLE: [
    'The audit log cannot record this right now, so it was not done.',
    'Try again in a moment; if it persists, tell your administrator.',
  ],
  INTERNAL: [
    'Something went wrong on the server.',
    'Try again; if it persists, give your administrator the request id below.',
  ],
  NETWORK_ERROR: ['The server cannot be reached.', 'Check your connection and try again.'],
  BAD_RESPONSE: [
    'The server gave an answer the console does not understand.',
    'Try again; if it persists, tell your administrator.',
  ],
  NOT_LOGGED_IN: ['You are not signed in.', 'Sign in again.'],
};

/** What a bare error code means (one that arrives in a URL, e.g. from the OAuth callback's redirect). */
export function codeHelp(code: string): [title: string, action: string] {
  return HELP[code] ?? ['Something went wrong.', 'Try again; if it persists, tell your administrator.'];
}

export function errorHelp(err: unknown): ErrorHelp {
  const code = err instanceof LockwellError ? err.code : 'UNKNOWN';
  const [title, action] = codeHelp(code);
  const api = err instanceof LockwellApiError ? err : undefined;
  const wait = api?.retryAfterSeconds;
  return {
    code,
    title,
    action: code === 'RATE_LIMITED' && wait ? `Wait ${wait} seconds and try again.` : action,
    details: api?.details ?? [],
    requestId: api?.requestId,
  };
}

export function isSessionEnded(err: unknown): boolean {
  return err instanceof LockwellApiError && err.status === 401 && err.code !== 'INVALID_CREDENTIALS';
}
