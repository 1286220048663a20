import { formatEnv } from './output.js';

describe('formatEnv', () => {
  const env = { B: "it's", A: 'plain $HOME `x`', C: 'two\nlines "q" \\' };

  it('dotenv: single quotes where nothing needs escaping, double quotes with escapes otherwise, sorted', () => {
    expect(formatEnv(env, 'dotenv')).toBe(`A='plain $HOME \`x\`'\nB="it's"\nC="two\\nlines \\"q\\" \\\\"\n`);
  });

  it('yaml: every value a double-quoted string, so YAML never reads a number or a boolean', () => {
    expect(formatEnv({ N: '0123', F: 'no', X: 'a: b' }, 'yaml')).toBe('F: "no"\nN: "0123"\nX: "a: b"\n');
  });

  it('json: an object, sorted by name', () => {
    expect(JSON.parse(formatEnv(env, 'json'))).toEqual(env);
    expect(Object.keys(JSON.parse(formatEnv(env, 'json')))).toEqual(['A', 'B', 'C']);
  });
});
