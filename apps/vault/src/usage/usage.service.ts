import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext, SecretScope } from '@lockwell/contracts';
import { decodeCursor, pageFrom } from '@lockwell/service-kit';
import { SecretLookup } from '../secret/secret-lookup.js';
import { SecretUsageRepository } from '../secret/secret-usage.repository.js';

const iso = (d: Date) => new Date(d).toISOString();

/** Where-used: which users and API tokens read a secret, when last and how often. */
@Injectable()
export class UsageService {
  constructor(
    private readonly em: EntityManager,
    private readonly lookup: SecretLookup,
    private readonly usage: SecretUsageRepository,
  ) {}

  async list(ctx: CallContext, scope: SecretScope, secretId: string, limit: number, cursor: string | undefined) {
    const row = await this.lookup.findAuthorized(ctx, scope, secretId, 'metadata', 'secret.usage');
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const page = pageFrom(await this.usage.list(this.em, row.id, after, limit + 1), limit, (u) => ({
      at: new Date(u.last_accessed_at),
      id: u.consumer_id,
    }));
    return {
      items: page.rows.map((u) => ({
        consumer_type: u.consumer_type,
        consumer_id: u.consumer_id,
        first_accessed_at: iso(u.first_accessed_at),
        last_accessed_at: iso(u.last_accessed_at),
        access_count: Number(u.access_count),
      })),
      next_cursor: page.next_cursor,
    };
  }
}
