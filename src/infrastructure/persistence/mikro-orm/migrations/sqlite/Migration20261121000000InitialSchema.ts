import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for sqlite by MikroORM's schema generator, then committed: a migration is a
// fixed step in the schema's history, never re-derived at run time.
export class Migration20261121000000InitialSchema extends Migration {
  override name = 'Migration20261121000000InitialSchema';

  override up(): void {
    this.addSql(
      'create table `products` (`id` integer not null primary key autoincrement, `name` text not null, `price` bigint not null, `stock` integer not null);',
    );
    this.addSql(
      'create table `users` (`id` integer not null primary key autoincrement, `name` text not null, `points` bigint not null);',
    );
    this.addSql(
      "create table `coupons` (`id` integer not null primary key autoincrement, `user_id` integer not null, `discount_type` text check (`discount_type` in ('FIXED', 'PERCENTAGE')) not null, `discount_value` bigint not null, `used_at` datetime null, constraint `coupons_user_id_foreign` foreign key (`user_id`) references `users` (`id`));",
    );
    this.addSql('create index `coupons_user_id_index` on `coupons` (`user_id`);');
    this.addSql(
      "create table `orders` (`id` text not null primary key, `user_id` integer not null, `coupon_id` integer null, `status` text check (`status` in ('PLACED', 'COMPLETED')) not null, `total_amount` bigint not null, `discount_amount` bigint not null, `paid_amount` bigint not null, `placed_at` datetime not null, `completed_at` datetime null, constraint `orders_user_id_foreign` foreign key (`user_id`) references `users` (`id`), constraint `orders_coupon_id_foreign` foreign key (`coupon_id`) references `coupons` (`id`) on delete set null);",
    );
    this.addSql('create index `orders_user_id_index` on `orders` (`user_id`);');
    this.addSql('create index `orders_coupon_id_index` on `orders` (`coupon_id`);');
    this.addSql(
      'create table `order_items` (`order_id` text not null, `product_id` integer not null, `product_name` text not null, `unit_price` bigint not null, `quantity` integer not null, primary key (`order_id`, `product_id`), constraint `order_items_order_id_foreign` foreign key (`order_id`) references `orders` (`id`) on update cascade on delete cascade, constraint `order_items_product_id_foreign` foreign key (`product_id`) references `products` (`id`) on update restrict on delete restrict);',
    );
    this.addSql('create index `order_items_order_id_index` on `order_items` (`order_id`);');
    this.addSql('create index `order_items_product_id_index` on `order_items` (`product_id`);');
  }
}
