import { decodeCursor, encodeCursor, likePattern, pageFrom } from '../src/index.js';

describe('keyset cursor', () => {
  it('round-trips a position', () => {
    const pos = { at: new Date('2026-11-26T10:00:00.123Z'), id: '7d3c1c38-6a55-4c3e-9a47-1b7c5a3e9f10' };
    expect(decodeCursor(encodeCursor(pos.at, pos.id))).toEqual(pos);
  });

  it('rejects a cursor it did not produce with INVALID_CURSOR', () => {
    for (const bad of [
      'nope',
      Buffer.from('["x","y"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    }
  });

  it('returns a next cursor only when there is another page', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: `00000000-0000-4000-8000-00000000000${n}` }));
    expect(pageFrom(rows, 3, (r) => r).next_cursor).toBeNull();
    const page = pageFrom(rows, 2, (r) => r);
    expect(page.rows).toHaveLength(2);
    expect(decodeCursor(page.next_cursor!)).toEqual(rows[1]);
  });

  it('escapes LIKE wildcards typed by the user', () => {
    expect(likePattern('50%_a\\')).toBe('%50\\%\\_a\\\\%');
  });
});
