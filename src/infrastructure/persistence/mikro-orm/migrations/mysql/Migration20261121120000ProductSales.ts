import { Migration } from '@mikro-orm/migrations';

// Generated from schema.ts for mysql by MikroORM's schema generator, then committed.
export class Migration20261121120000ProductSales extends Migration {
  override name = 'Migration20261121120000ProductSales';

  override up(): void {
    this.addSql(
      'create table `product_sales` (`product_id` int unsigned not null, `product_name` varchar(200) not null, `units_sold` bigint not null, primary key (`product_id`)) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql('alter table `product_sales` add index `product_sales_units_sold_index` (`units_sold`);');
  }
}
