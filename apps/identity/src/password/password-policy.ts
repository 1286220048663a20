import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** PW-2: at least 8 characters, and the longest accepted is far above 64 (no truncation anywhere). */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * Why `password` is refused, or null when it is acceptable. Length counts Unicode code points (a person's
 * idea of characters, not UTF-16 units); there are no composition rules (NIST SP 800-63B, ASVS 6.2.5).
 */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return 'is one of the most commonly used passwords';
  if (context.email && lowered === context.email.toLowerCase()) return 'must not be the email address';
  return null;
}

/** Throws VALIDATION_FAILED naming `field` (never echoing the password) when the policy refuses it. */
export function assertPasswordAcceptable(password: string, field: string, context: { email?: string } = {}): void {
  const problem = passwordProblem(password, context);
  if (problem)
    throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
      { field, issue: `The password ${problem}` },
    ]);
}
