import { assertIfMatch } from './if-match.js';

describe('If-Match', () => {
  it('accepts the current version in any common spelling, or *', () => {
    for (const v of ['"3"', 'W/"3"', '3', '*', '"2", "3"']) expect(() => assertIfMatch(v, 3)).not.toThrow();
    expect(() => assertIfMatch(undefined, 3)).not.toThrow();
  });

  it('refuses another version with PRECONDITION_FAILED', () => {
    expect(() => assertIfMatch('"2"', 3)).toThrow(expect.objectContaining({ code: 'PRECONDITION_FAILED' }));
  });
});
