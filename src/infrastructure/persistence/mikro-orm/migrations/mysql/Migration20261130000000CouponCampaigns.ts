import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for mysql by MikroORM's schema generator, then committed.
export class Migration20261130000000CouponCampaigns extends Migration {
  override name = 'Migration20261130000000CouponCampaigns';

  override up(): void {
    this.addSql(
      "create table `coupon_campaigns` (`id` int unsigned not null auto_increment primary key, `name` varchar(200) not null, `discount_type` enum('FIXED','PERCENTAGE') not null, `discount_value` bigint not null, `quantity` int not null, `issued_count` int not null, `opens_at` datetime(3) not null, `closes_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'alter table `coupons` add `campaign_id` int unsigned null, add `issued_at` datetime(3) null;',
    );
    this.addSql(
      'alter table `coupons` add constraint `coupons_campaign_id_foreign` foreign key (`campaign_id`) references `coupon_campaigns` (`id`) on delete set null;',
    );
    this.addSql('alter table `coupons` add index `coupons_campaign_id_index` (`campaign_id`);');
    this.addSql(
      'alter table `coupons` add unique `coupons_campaign_id_user_id_unique` (`campaign_id`, `user_id`);',
    );
  }
}
