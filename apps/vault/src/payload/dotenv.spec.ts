import { formatDotenv, parseDotenv } from './dotenv.js';

describe('dotenv', () => {
  it('reads KEY=VALUE lines with comments, export and quotes', () => {
    expect(parseDotenv('# c\nA=1\nexport B="two words # not a comment"\nC=\'x=y\'\nD=plain # comment\n')).toEqual({
      A: '1',
      B: 'two words # not a comment',
      C: 'x=y',
      D: 'plain',
    });
  });

  it('names the bad line without echoing it', () => {
    const err = (() => {
      try {
        parseDotenv('A=1\nsecret-without-equals');
      } catch (e) {
        return e as { details: { issue: string }[] };
      }
    })();
    expect(err?.details[0].issue).toBe('line 2 is not KEY=VALUE');
    expect(JSON.stringify(err)).not.toContain('secret-without-equals');
  });

  it('formats pairs so that they parse back to the same pairs', () => {
    const pairs = { A: 'simple', B: 'with space', C: 'quote " and \\ back', D: 'multi\nline', E: '' };
    expect(parseDotenv(formatDotenv(pairs))).toEqual(pairs);
  });
});
