import { raw } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import {
  ProductSalesRanking,
  type ProductSale,
  type ProductSalesTotal,
} from '../../../../application/product/ranking/product-sales-ranking.js';
import { Database } from '../database.js';
import { ProductSalesRow } from '../schema.js';

@injectable()
export class MikroOrmProductSalesRanking extends ProductSalesRanking {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async addSales(sales: readonly ProductSale[]): Promise<void> {
    const em = this.database.em();
    for (const sale of sales) {
      // One statement that inserts or adds (MySQL: ON DUPLICATE KEY UPDATE; SQLite: ON CONFLICT DO
      // UPDATE), so two consumers counting the same product at once cannot lose an increment.
      await em
        .createQueryBuilder(ProductSalesRow)
        .insert({ productId: sale.productId, productName: sale.productName, unitsSold: sale.quantity })
        .onConflict('productId')
        .merge({ productName: sale.productName, unitsSold: raw('units_sold + ?', [sale.quantity]) })
        .execute();
    }
  }

  async top(limit: number): Promise<ProductSalesTotal[]> {
    const rows = await this.database
      .em()
      .find(ProductSalesRow, {}, { orderBy: { unitsSold: 'desc', productId: 'asc' }, limit });
    return rows.map(({ productId, productName, unitsSold }) => ({ productId, productName, unitsSold }));
  }
}
