import { inject, injectable } from 'inversify';
import { Logger } from '../../shared/logger.js';
import { ProductSalesRanking, type ProductSale } from './product-sales-ranking.js';

export interface RecordProductSalesCommand {
  readonly eventId: string;
  readonly orderId: string;
  readonly completedAt: Date;
  readonly sales: readonly ProductSale[];
}

/**
 * Counts a completed order's units into the product ranking, once per event even when Kafka delivers it
 * again. Driven by the product-ranking consumer.
 */
@injectable()
export class RecordProductSales {
  constructor(
    @inject(ProductSalesRanking) private readonly ranking: ProductSalesRanking,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Resolves whether it counted the sales: `false` means this event was counted before. */
  async execute(command: RecordProductSalesCommand): Promise<boolean> {
    const { eventId, orderId, completedAt, sales } = command;
    const counted = await this.ranking.addSalesOnce({ eventId, completedAt, sales });
    if (counted) {
      this.logger.info(
        { eventId, orderId, products: sales.map((sale) => sale.productId) },
        'product ranking updated',
      );
    }
    return counted;
  }
}
