import { inject, injectable } from 'inversify';
import { Logger } from '../../shared/logger.js';
import { TransactionManager } from '../../shared/transaction-manager.js';
import { ProductSalesRanking, type ProductSale } from './product-sales-ranking.js';

export interface RecordProductSalesCommand {
  readonly orderId: string;
  readonly sales: readonly ProductSale[];
}

/** Counts a completed order's units into the product ranking. Driven by the product-ranking consumer. */
@injectable()
export class RecordProductSales {
  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(ProductSalesRanking) private readonly ranking: ProductSalesRanking,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: RecordProductSalesCommand): Promise<void> {
    await this.transactions.run(() => this.ranking.addSales(command.sales));
    this.logger.info(
      { orderId: command.orderId, products: command.sales.map((sale) => sale.productId) },
      'product ranking updated',
    );
  }
}
