import fc from 'fast-check';
import { MIN_PASSWORD_LENGTH, assertPasswordAcceptable, passwordProblem } from './password-policy.js';

describe('password policy (PW-2)', () => {
  it('draws the length line at 8 code points, with no composition rules', () => {
    expect(passwordProblem('abcdefg')).toMatch(/at least 8/);
    expect(passwordProblem('abcdefgh-zz')).toBeNull();
    expect(passwordProblem('alllowercaseletters')).toBeNull();
    expect(passwordProblem('😀😀😀😀😀😀😀😀')).toBeNull(); // 8 emoji are 8 characters, 16 UTF-16 units
    expect(passwordProblem('😀😀😀😀')).not.toBeNull();
  });

  it('accepts long passwords (well past 64 characters)', () => {
    expect(passwordProblem('a'.repeat(64) + 'b')).toBeNull();
    expect(passwordProblem('correct horse battery staple '.repeat(10))).toBeNull();
  });

  it('rejects the most common passwords case-insensitively, and the email address', () => {
    for (const p of ['password123', 'PASSWORD123', 'qwertyuiop', '12345678', 'iloveyou'])
      expect(passwordProblem(p)).toMatch(/commonly used/);
    expect(passwordProblem('Ada@Example.test', { email: 'ada@example.test' })).toMatch(/email/);
  });

  it('accepts any string of 8+ characters outside the common list and refuses any shorter one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', minLength: 0, maxLength: 40 }), (s) => {
        const long = [...s].length >= MIN_PASSWORD_LENGTH;
        const problem = passwordProblem(s);
        if (!long) return problem !== null;
        return problem === null || /commonly used/.test(problem);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('never echoes the refused password in the error', () => {
    try {
      assertPasswordAcceptable('short', 'password');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(JSON.stringify(err)).not.toContain('short"');
      expect((err as { details: unknown }).details).toEqual([
        { field: 'password', issue: 'The password must be at least 8 characters long' },
      ]);
    }
  });
});
