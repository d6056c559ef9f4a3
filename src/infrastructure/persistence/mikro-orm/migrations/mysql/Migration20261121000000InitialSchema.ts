import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for mysql by MikroORM's schema generator, then committed: a migration is a
// fixed step in the schema's history, never re-derived at run time.
export class Migration20261121000000InitialSchema extends Migration {
  override name = 'Migration20261121000000InitialSchema';

  override up(): void {
    this.addSql(
      'create table `products` (`id` int unsigned not null auto_increment primary key, `name` varchar(200) not null, `price` bigint not null, `stock` int not null) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      'create table `users` (`id` int unsigned not null auto_increment primary key, `name` varchar(100) not null, `points` bigint not null) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      "create table `coupons` (`id` int unsigned not null auto_increment primary key, `user_id` int unsigned not null, `discount_type` enum('FIXED','PERCENTAGE') not null, `discount_value` bigint not null, `used_at` datetime(3) null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `coupons` add index `coupons_user_id_index` (`user_id`);');
    this.addSql(
      "create table `orders` (`id` varchar(36) not null, `user_id` int unsigned not null, `coupon_id` int unsigned null, `status` enum('PLACED','COMPLETED') not null, `total_amount` bigint not null, `discount_amount` bigint not null, `paid_amount` bigint not null, `placed_at` datetime(3) not null, `completed_at` datetime(3) null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `orders` add index `orders_user_id_index` (`user_id`);');
    this.addSql('alter table `orders` add index `orders_coupon_id_index` (`coupon_id`);');
    this.addSql(
      'create table `order_items` (`order_id` varchar(36) not null, `product_id` int unsigned not null, `product_name` varchar(200) not null, `unit_price` bigint not null, `quantity` int not null, primary key (`order_id`, `product_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `order_items` add index `order_items_order_id_index` (`order_id`);');
    this.addSql('alter table `order_items` add index `order_items_product_id_index` (`product_id`);');
    this.addSql(
      'alter table `coupons` add constraint `coupons_user_id_foreign` foreign key (`user_id`) references `users` (`id`);',
    );
    this.addSql(
      'alter table `orders` add constraint `orders_user_id_foreign` foreign key (`user_id`) references `users` (`id`);',
    );
    this.addSql(
      'alter table `orders` add constraint `orders_coupon_id_foreign` foreign key (`coupon_id`) references `coupons` (`id`) on delete set null;',
    );
    this.addSql(
      'alter table `order_items` add constraint `order_items_order_id_foreign` foreign key (`order_id`) references `orders` (`id`) on update cascade on delete cascade;',
    );
    this.addSql(
      'alter table `order_items` add constraint `order_items_product_id_foreign` foreign key (`product_id`) references `products` (`id`) on update restrict on delete restrict;',
    );
  }
}
