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

  /**
   * The event ids and the sales commit together, or neither does: the Idempotent Receiver, in one
   * transaction for the whole batch, whatever its size: three statements at most.
   */
  async addSalesOnce(orders: readonly OrderSales[]): Promise<boolean[]> {
    if (orders.length === 0) return [];
    return this.transactions.run(async () => {
      const firstDeliveries = new Set(
        await this.processedEvents.recordFirstDeliveries(
          PRODUCT_RANKING_INBOX,
          orders.map((order) => order.eventId),
        ),
      );
      // `delete` is true once per id: a second copy of an event in the same batch is a redelivery too.
      const counted = orders.map((order) => firstDeliveries.delete(order.eventId));
      await this.addSales(orders.filter((_, index) => counted[index]).flatMap((order) => order.sales));
      return counted;
    });
  }

  async top(limit: number): Promise<ProductSalesTotal[]> {
    const rows = await this.database
      .em()
      .find(ProductSalesRow, {}, { orderBy: { unitsSold: 'desc', productId: 'asc' }, limit });
    return rows.map(({ productId, productName, unitsSold }) => ({ productId, productName, unitsSold }));
  }

  private async addSales(sales: readonly ProductSale[]): Promise<void> {
    const totals = new Map<number, { productName: string; unitsSold: number }>();
    for (const { productId, productName, quantity } of sales) {
      totals.set(productId, { productName, unitsSold: (totals.get(productId)?.unitsSold ?? 0) + quantity });
    }
    if (totals.size === 0) return;
    // One statement for every product, that inserts or adds (MySQL: ON DUPLICATE KEY UPDATE; SQLite: ON
    // CONFLICT DO UPDATE), so two consumers counting the same product at once cannot lose an increment.
    // By product id, so that two of them lock the rows they share in the same order.
    const rows = [...totals].sort(([a], [b]) => a - b).map(([productId, total]) => ({ productId, ...total }));
    await this.database
      .em()
      .createQueryBuilder(ProductSalesRow)
      .insert(rows)
      .onConflict('productId')
      .merge({
        productName: raw(this.database.proposedValue('product_name')),
        unitsSold: raw(`units_sold + ${this.database.proposedValue('units_sold')}`),
      })
      .execute();
  }
}
