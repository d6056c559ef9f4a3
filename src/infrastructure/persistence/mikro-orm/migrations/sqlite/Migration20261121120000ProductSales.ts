import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for sqlite by MikroORM's schema generator, then committed.
export class Migration20261121120000ProductSales extends Migration {
  override name = 'Migration20261121120000ProductSales';

  override up(): void {
    this.addSql(
      'create table `product_sales` (`product_id` integer not null primary key, `product_name` text not null, `units_sold` bigint not null);',
    );
    this.addSql('create index `product_sales_units_sold_index` on `product_sales` (`units_sold`);');
  }
}
