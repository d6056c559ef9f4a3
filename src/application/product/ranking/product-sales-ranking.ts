export interface ProductSale {
  readonly productId: number;
  readonly productName: string;
  readonly quantity: number;
}

export interface ProductSalesTotal {
  readonly productId: number;
  readonly productName: string;
  readonly unitsSold: number;
}

/**
 * Port: the product-ranking consumer's read model, units sold per product. It is fed by order-completed
 * events alone, as it would be in a service of its own. (Why a table and not Redis: docs/adr/004.)
 */
export abstract class ProductSalesRanking {
  /** Adds each sale's quantity to its product's total (a product seen for the first time starts at 0). */
  abstract addSales(sales: readonly ProductSale[]): Promise<void>;

  /** The best sellers first; ties by product id. */
  abstract top(limit: number): Promise<ProductSalesTotal[]>;
}
