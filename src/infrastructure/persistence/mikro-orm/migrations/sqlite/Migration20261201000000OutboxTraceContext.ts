import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for sqlite by MikroORM's schema generator, then committed. SQLite adds a NOT NULL
// column only with a default, which the mapping does not have: so the table is rebuilt with the new column
// (existing rows get '', no trace) and its indexes made again.
export class Migration20261201000000OutboxTraceContext extends Migration {
  override name = 'Migration20261201000000OutboxTraceContext';

  override up(): void {
    this.addSql('pragma foreign_keys = off;');
    this.addSql(
      "create table `outbox_events__temp_alter` (`id` integer not null primary key autoincrement, `event_id` text not null, `aggregate_type` text not null, `aggregate_id` text not null, `topic` text not null, `message_key` text not null, `payload` text not null, `headers` text not null, `trace_context` text not null, `status` text check (`status` in ('PENDING', 'SENDING', 'SENT', 'FAILED')) not null, `attempts` integer not null, `last_error` text not null, `created_at` datetime not null, `next_attempt_at` datetime not null, `claimed_at` datetime null, `sent_at` datetime null);",
    );
    this.addSql(
      "insert into `outbox_events__temp_alter` select `id`, `event_id`, `aggregate_type`, `aggregate_id`, `topic`, `message_key`, `payload`, `headers`, '', `status`, `attempts`, `last_error`, `created_at`, `next_attempt_at`, `claimed_at`, `sent_at` from `outbox_events`;",
    );
    this.addSql('drop table `outbox_events`;');
    this.addSql('alter table `outbox_events__temp_alter` rename to `outbox_events`;');
    this.addSql('create unique index `outbox_events_event_id_unique` on `outbox_events` (`event_id`);');
    this.addSql('create index `outbox_events_message_key_index` on `outbox_events` (`message_key`);');
    this.addSql('create index `outbox_events_status_index` on `outbox_events` (`status`);');
    this.addSql('pragma foreign_keys = on;');
  }
}
