import type { Product } from './product.js';

/** Port: where products live. */
export abstract class ProductRepository {
  abstract findAll(): Promise<Product[]>;

  /**
   * Loads the products and locks their rows until the current transaction ends, so no concurrent order
   * can sell the same units. Rows are locked in ascending id order, which keeps two orders from waiting
   * on each other (deadlock). Missing ids are simply absent from the result.
   */
  abstract findByIdsForUpdate(ids: readonly number[]): Promise<Product[]>;

  abstract save(product: Product): Promise<void>;
}
