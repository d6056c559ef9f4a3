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

/** One completed order's sales, as its order-completed event carried them. */
export interface OrderSales {
  /** The event's id: the same event delivered twice must be counted once. */
  readonly eventId: string;
  readonly completedAt: Date;
  readonly sales: readonly ProductSale[];
}

/**
 * Port: the product-ranking consumer's read model, units sold per product. It is fed by order-completed
 * events alone, as it would be in a service of its own. Two adapters: a table, or a Redis sorted set per
 * day (docs/adr/004).
 *
 * De-duplication is the adapter's job, because it must be atomic with the counting, and only the store
 * that keeps the counts can do that: the table records the event id in the transaction that adds the
 * sales; Redis, which shares no transaction with the database, in the script that adds them.
 */
export abstract class ProductSalesRanking {
  /**
   * Adds each order's sales to their products' totals (a product seen for the first time starts at 0),
   * skipping every event counted before, in an earlier call or earlier in `orders`. One transaction for
   * the lot in a table (all of it or none of it); one script in Redis, which no other command interleaves
   * with, though Redis does not undo what a script did before an error. Resolves, for each order in turn,
   * whether it counted it.
   */
  abstract addSalesOnce(orders: readonly OrderSales[]): Promise<boolean[]>;

  /** The best sellers first; ties by product id, lowest first. */
  abstract top(limit: number): Promise<ProductSalesTotal[]>;
}
