import { backoffMs } from './delivery.js';

describe('backoffMs', () => {
  it('doubles from the base per attempt and never exceeds the cap', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(backoffMs(1000, 1000, 60_000)).toBe(60_000);
  });
});
