import { z } from 'zod';

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` of every list (docs/api.md "Lists"). Above 200 is a 400, not a silent clamp. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(512).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** `{items, next_cursor}` for a given item schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
export type Page<T> = { items: T[]; next_cursor: string | null };

export const Empty = z.object({}).strict();
/** How many keys sealed by a service each master key (by id) wraps: master-key rotation status. */
export const KeysPerMasterKey = z.array(z.object({ master_key_id: z.number().int(), count: z.number().int() }));
export const Ok = z.object({ ok: z.literal(true) });
