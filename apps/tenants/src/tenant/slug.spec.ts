import { TENANT_SLUG_PATTERN } from '@lockwell/contracts';
import { slugCandidate, slugify } from './slug.js';

describe('slugify', () => {
  it('turns a display name into a lowercase hyphenated slug', () => {
    expect(slugify('Acme Corp — Production!')).toBe('acme-corp-production');
  });

  it('folds accents instead of dropping the letters', () => {
    expect(slugify('Équipe Über Café')).toBe('equipe-uber-cafe');
  });

  it('falls back to "tenant" when nothing usable is left', () => {
    expect(slugify('東京')).toBe('tenant');
    expect(slugify('---')).toBe('tenant');
  });

  it('cuts long names to 63 characters without a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(62)} b`);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug).toMatch(TENANT_SLUG_PATTERN);
  });
});

describe('slugCandidate', () => {
  it('numbers later attempts and keeps them valid at the length limit', () => {
    expect(slugCandidate('acme', 1)).toBe('acme');
    expect(slugCandidate('acme', 3)).toBe('acme-3');
    const long = slugCandidate('a'.repeat(63), 12);
    expect(long).toHaveLength(63);
    expect(long.endsWith('-12')).toBe(true);
    expect(long).toMatch(TENANT_SLUG_PATTERN);
  });
});
