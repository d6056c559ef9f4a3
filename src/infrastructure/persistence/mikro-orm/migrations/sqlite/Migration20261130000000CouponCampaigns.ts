import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for sqlite by MikroORM's schema generator, then committed.
export class Migration20261130000000CouponCampaigns extends Migration {
  override name = 'Migration20261130000000CouponCampaigns';

  override up(): void {
    this.addSql(
      "create table `coupon_campaigns` (`id` integer not null primary key autoincrement, `name` text not null, `discount_type` text check (`discount_type` in ('FIXED', 'PERCENTAGE')) not null, `discount_value` bigint not null, `quantity` integer not null, `issued_count` integer not null, `opens_at` datetime not null, `closes_at` datetime not null);",
    );
    this.addSql(
      'alter table `coupons` add column `campaign_id` integer null constraint `coupons_campaign_id_foreign` references `coupon_campaigns` (`id`) on delete set null;',
    );
    this.addSql('alter table `coupons` add column `issued_at` datetime null;');
    this.addSql('create index `coupons_campaign_id_index` on `coupons` (`campaign_id`);');
    this.addSql(
      'create unique index `coupons_campaign_id_user_id_unique` on `coupons` (`campaign_id`, `user_id`);',
    );
  }
}
