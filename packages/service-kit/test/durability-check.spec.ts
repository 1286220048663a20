import { jest } from '@jest/globals';
import { enforceDurability, judgeDurability, NON_DURABLE_OVERRIDE, type DurabilitySettings } from '../src/index.js';

const durable: DurabilitySettings = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };
const logger = () => ({ info: jest.fn(), warn: jest.fn() });

describe('judgeDurability', () => {
  it('accepts PostgreSQL defaults and every synchronous_commit level that waits for the local WAL flush', () => {
    for (const level of ['on', 'local', 'remote_write', 'remote_apply']) {
      expect(judgeDurability({ ...durable, synchronous_commit: level })).toEqual({ problems: [], warnings: [] });
    }
  });

  it('names fsync off and synchronous_commit off as problems', () => {
    const verdict = judgeDurability({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'on' });
    expect(verdict.problems).toHaveLength(2);
    expect(verdict.problems[0]).toMatch(/^fsync is off/);
    expect(verdict.problems[1]).toMatch(/^synchronous_commit is off/);
  });

  it('only warns about full_page_writes off (legitimate on storage that never tears pages)', () => {
    expect(judgeDurability({ ...durable, full_page_writes: 'off' })).toEqual({
      problems: [],
      warnings: [expect.stringMatching(/^full_page_writes is off/)],
    });
  });
});

describe('enforceDurability', () => {
  const bad = judgeDurability({ fsync: 'off', synchronous_commit: 'on', full_page_writes: 'on' });

  it('refuses to start production on a non-durable database, naming the setting and the override', () => {
    const log = logger();
    expect(() => enforceDurability(bad, { production: true, allowNonDurable: false }, log)).toThrow(
      /fsync is off.*LOCKWELL_ALLOW_NON_DURABLE_DATABASE=true/,
    );
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('starts production anyway when the override is set, with a warning that names it', () => {
    const log = logger();
    enforceDurability(bad, { production: true, allowNonDurable: true }, log);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining(NON_DURABLE_OVERRIDE));
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('fsync is off'));
  });

  it('lets development and tests run on a fast cluster with info lines only', () => {
    const log = logger();
    enforceDurability(
      judgeDurability({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
      { production: false, allowNonDurable: false },
      log,
    );
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('fsync is off'));
    expect(log.info).toHaveBeenCalledWith(expect.stringContaining('full_page_writes is off'));
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('warns in production about full_page_writes off, and starts', () => {
    const log = logger();
    enforceDurability(
      judgeDurability({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'off' }),
      { production: true, allowNonDurable: false },
      log,
    );
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('full_page_writes is off'));
  });

  it('says nothing for a durable database', () => {
    const log = logger();
    enforceDurability(judgeDurability(durable), { production: true, allowNonDurable: false }, log);
    expect(log.info).not.toHaveBeenCalled();
    expect(log.warn).not.toHaveBeenCalled();
  });
});
