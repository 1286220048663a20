import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext, SecretScope } from '@lockwell/contracts';
import { decodeCursor, encodeCursor } from '@lockwell/service-kit';
import { SecretService } from '../secret/secret.service.js';
import { UsageRepository } from './usage.repository.js';

const iso = (d: Date) => new Date(d).toISOString();

/** Where-used: which users and API tokens read a secret, when last and how often. */
@Injectable()
export class UsageService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretService,
    private readonly usage: UsageRepository,
  ) {}

  async list(scope: SecretScope, secretId: string, limit: number, cursor: string | undefined, ctx: CallContext) {
    const row = await this.secrets.findAuthorized(scope, secretId, ctx, 'metadata', 'secret.usage');
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.usage.list(this.em, row.id, after, limit + 1);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((u) => ({
        consumer_type: u.consumer_type,
        consumer_id: u.consumer_id,
        first_accessed_at: iso(u.first_accessed_at),
        last_accessed_at: iso(u.last_accessed_at),
        access_count: Number(u.access_count),
      })),
      next_cursor: rows.length > limit && last ? encodeCursor(new Date(last.last_accessed_at), last.consumer_id) : null,
    };
  }
}
