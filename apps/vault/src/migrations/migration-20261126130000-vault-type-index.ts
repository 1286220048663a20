import { Migration } from '@mikro-orm/migrations';

/**
 * `?type=` on a large tenant scanned the table when the type was rare (bench/README.md: 95 ms p50 on a
 * million rows, against ~1 ms for the other filters): the same keyset shape as the status index fixes it.
 */
export class Migration20261126130000VaultTypeIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists "secrets_tenant_type" on "secrets" ("tenant_id", "type", "created_at" desc, "id" desc) where "tenant_id" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "secrets_tenant_type";`);
  }
}
