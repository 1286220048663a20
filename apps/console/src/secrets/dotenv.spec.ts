import { describe, expect, it } from '@jest/globals';
import { parseDotenv } from './dotenv';

describe('parseDotenv', () => {
  it('reads KEY=value lines, export prefixes, quotes and comments', () => {
    const text = [
      '# comment',
      '',
      'A=1',
      'export B = two words ',
      'C="line\\nbreak \\"q\\""',
      "D='  kept  '",
      'E=value # trailing comment',
      'F=',
      'G=a=b',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      pairs: [
        ['A', '1'],
        ['B', 'two words'],
        ['C', 'line\nbreak "q"'],
        ['D', '  kept  '],
        ['E', 'value'],
        ['F', ''],
        ['G', 'a=b'],
      ],
      skipped: [],
    });
  });

  it('reports the lines it could not read instead of guessing', () => {
    expect(parseDotenv('A=1\nnot a pair\n1BAD=x\r\nB=2')).toEqual({
      pairs: [
        ['A', '1'],
        ['B', '2'],
      ],
      skipped: [2, 3],
    });
  });
});
