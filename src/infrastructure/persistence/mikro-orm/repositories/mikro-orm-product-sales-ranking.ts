import { raw } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import {
  ProductSalesRanking,
  type OrderSales,
  type ProductSale,
  type ProductSalesTotal,
} from '../../../../application/product/ranking/product-sales-ranking.js';
import { ProcessedEvents } from '../../../../application/shared/messaging/processed-events.js';
import { TransactionManager } from '../../../../application/shared/transaction-manager.js';
import { Database } from '../database.js';
import { ProductSalesRow } from '../schema.js';

/** The name this ranking's events are recorded under in processed_events (the consumer group's). */
export const PRODUCT_RANKING_INBOX = 'product-ranking';

/** Units sold per product in the `product_sales` table, all time. */
@injectable()
export class MikroOrmProductSalesRanking extends ProductSalesRanking {
  constructor(
    @inject(Database) private readonly database: Database,
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(ProcessedEvents) private readonly processedEvents: ProcessedEvents,
  ) {
    super();
  }

  /** The event id and the sales commit together, or neither does: the Idempotent Receiver, in one transaction. */
  addSalesOnce({ eventId, sales }: OrderSales): Promise<boolean> {
    return this.transactions.run(async () => {
      if (!(await this.processedEvents.recordFirstDelivery(PRODUCT_RANKING_INBOX, eventId))) return false;
      await this.addSales(sales);
      return true;
    });
  }

  async top(limit: number): Promise<ProductSalesTotal[]> {
    const rows = await this.database
      .em()
      .find(ProductSalesRow, {}, { orderBy: { unitsSold: 'desc', productId: 'asc' }, limit });
    return rows.map(({ productId, productName, unitsSold }) => ({ productId, productName, unitsSold }));
  }

  private async addSales(sales: readonly ProductSale[]): Promise<void> {
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
}
