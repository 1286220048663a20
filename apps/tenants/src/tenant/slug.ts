import { TENANT_SLUG_PATTERN } from '@lockwell/contracts';

const MAX_SLUG = 63;

/**
 * A slug from a display name: accents folded, anything but letters and digits becomes one hyphen, at most
 * 63 characters. Names without a single latin letter or digit fall back to `tenant`.
 */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, '');
  return TENANT_SLUG_PATTERN.test(base) ? base : 'tenant';
}

/** `base`, then `base-2`, `base-3`, … each cut so the whole stays a valid slug. */
export function slugCandidate(base: string, attempt: number): string {
  if (attempt <= 1) return base;
  const suffix = `-${attempt}`;
  return `${base.slice(0, MAX_SLUG - suffix.length).replace(/-+$/g, '')}${suffix}`;
}
