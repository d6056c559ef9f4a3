import { inject, injectable } from 'inversify';
import { ProductSalesRanking, type OrderSales } from './product-sales-ranking.js';

export interface CompletedOrderSales extends OrderSales {
  readonly orderId: string;
}

export interface RecordProductSalesCommand {
  /** The completed orders of a batch of events, in the order they were delivered. */
  readonly orders: readonly CompletedOrderSales[];
}

/**
 * Counts completed orders' units into the product ranking, once per event even when Kafka delivers it
 * again, all in one go. Driven by the product-ranking consumer, which logs what became of each event.
 */
@injectable()
export class RecordProductSales {
  constructor(@inject(ProductSalesRanking) private readonly ranking: ProductSalesRanking) {}

  /** Resolves, for each order in turn, whether it counted it: `false` means its event was counted before. */
  execute({ orders }: RecordProductSalesCommand): Promise<boolean[]> {
    return this.ranking.addSalesOnce(orders);
  }
}
