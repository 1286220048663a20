import { assertNoNul, LockwellError } from '../src/index.js';

describe('assertNoNul', () => {
  it('accepts ordinary payloads unchanged', () => {
    const payload = { a: 'x', b: [1, 'y', { c: null }] };
    expect(assertNoNul(payload)).toBe(payload);
  });

  it('names the field holding a NUL, never the value', () => {
    try {
      assertNoNul({ outer: { list: ['ok', 'secret\u0000value'] } });
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(LockwellError);
      expect((e as LockwellError).code).toBe('VALIDATION_FAILED');
      expect((e as LockwellError).details).toEqual([
        { field: 'outer.list.1', issue: 'must not contain the NUL character' },
      ]);
      expect(JSON.stringify((e as LockwellError).toBody())).not.toContain('secret');
    }
  });

  it('refuses a NUL in a key and survives nesting deeper than the call stack', () => {
    expect(() => assertNoNul({ ['k\u0000']: 1 })).toThrow(LockwellError);
    let deep: unknown = 'end';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(assertNoNul(deep)).toBe(deep);
  });
});
