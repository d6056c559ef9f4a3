import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for mysql by MikroORM's schema generator, then committed.
export class Migration20261122090000OutboxAndProcessedEvents extends Migration {
  override name = 'Migration20261122090000OutboxAndProcessedEvents';

  override up(): void {
    this.addSql(
      "create table `outbox_events` (`id` int unsigned not null auto_increment primary key, `event_id` varchar(36) not null, `aggregate_type` varchar(50) not null, `aggregate_id` varchar(100) not null, `topic` varchar(249) not null, `message_key` varchar(100) not null, `payload` text not null, `headers` text not null, `status` enum('PENDING','SENDING','SENT','FAILED') not null, `attempts` int not null, `last_error` varchar(1000) not null, `created_at` datetime(3) not null, `next_attempt_at` datetime(3) not null, `claimed_at` datetime(3) null, `sent_at` datetime(3) null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `outbox_events` add unique `outbox_events_event_id_unique` (`event_id`);');
    this.addSql('alter table `outbox_events` add index `outbox_events_message_key_index` (`message_key`);');
    this.addSql('alter table `outbox_events` add index `outbox_events_status_index` (`status`);');
    this.addSql(
      'create table `processed_events` (`consumer_group` varchar(100) not null, `event_id` varchar(36) not null, `processed_at` datetime(3) not null, primary key (`consumer_group`, `event_id`)) default character set utf8mb4 engine = InnoDB;',
    );
  }
}
