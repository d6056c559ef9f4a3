import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for sqlite by MikroORM's schema generator, then committed.
export class Migration20261122090000OutboxAndProcessedEvents extends Migration {
  override name = 'Migration20261122090000OutboxAndProcessedEvents';

  override up(): void {
    this.addSql(
      "create table `outbox_events` (`id` integer not null primary key autoincrement, `event_id` text not null, `aggregate_type` text not null, `aggregate_id` text not null, `topic` text not null, `message_key` text not null, `payload` text not null, `headers` text not null, `status` text check (`status` in ('PENDING', 'SENDING', 'SENT', 'FAILED')) not null, `attempts` integer not null, `last_error` text not null, `created_at` datetime not null, `next_attempt_at` datetime not null, `claimed_at` datetime null, `sent_at` datetime null);",
    );
    this.addSql('create unique index `outbox_events_event_id_unique` on `outbox_events` (`event_id`);');
    this.addSql('create index `outbox_events_message_key_index` on `outbox_events` (`message_key`);');
    this.addSql('create index `outbox_events_status_index` on `outbox_events` (`status`);');
    this.addSql(
      'create table `processed_events` (`consumer_group` text not null, `event_id` text not null, `processed_at` datetime not null, primary key (`consumer_group`, `event_id`));',
    );
  }
}
