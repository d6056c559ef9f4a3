import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for mysql by MikroORM's schema generator, then committed.
export class Migration20261201000000OutboxTraceContext extends Migration {
  override name = 'Migration20261201000000OutboxTraceContext';

  override up(): void {
    this.addSql('alter table `outbox_events` add `trace_context` text not null;');
  }
}
