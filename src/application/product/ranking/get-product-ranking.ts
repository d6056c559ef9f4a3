import { inject, injectable } from 'inversify';
import { ProductSalesRanking } from './product-sales-ranking.js';

export interface RankedProductView {
  readonly rank: number;
  readonly productId: number;
  readonly name: string;
  readonly unitsSold: number;
}

@injectable()
export class GetProductRanking {
  constructor(@inject(ProductSalesRanking) private readonly ranking: ProductSalesRanking) {}

  async execute(query: { limit: number }): Promise<RankedProductView[]> {
    const totals = await this.ranking.top(query.limit);
    return totals.map((total, index) => ({
      rank: index + 1,
      productId: total.productId,
      name: total.productName,
      unitsSold: total.unitsSold,
    }));
  }
}
