import { inject, injectable } from 'inversify';
import { Logger } from '../../shared/logger.js';
import { ProductSalesRanking, type ProductSale } from './product-sales-ranking.js';

export interface CompletedOrderSales {
  readonly eventId: string;
  readonly orderId: string;
  readonly completedAt: Date;
  readonly sales: readonly ProductSale[];
}

export interface RecordProductSalesCommand {
  /** The completed orders of a batch of events, in the order they were delivered. */
  readonly orders: readonly CompletedOrderSales[];
}

/**
 * Counts completed orders' units into the product ranking, once per event even when Kafka delivers it
 * again, all in one go. Driven by the product-ranking consumer.
 */
@injectable()
export class RecordProductSales {
  constructor(
    @inject(ProductSalesRanking) private readonly ranking: ProductSalesRanking,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Resolves, for each order in turn, whether it counted it: `false` means its event was counted before. */
  async execute({ orders }: RecordProductSalesCommand): Promise<boolean[]> {
    const counted = await this.ranking.addSalesOnce(orders);
    orders.forEach(({ eventId, orderId, sales }, index) => {
      if (counted[index]) {
        this.logger.info(
          { eventId, orderId, products: sales.map((sale) => sale.productId) },
          'product ranking updated',
        );
      }
    });
    return counted;
  }
}
