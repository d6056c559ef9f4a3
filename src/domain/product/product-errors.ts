import { DomainError } from '../shared/domain-error.js';

export class ProductNotFound extends DomainError {
  readonly code = 'PRODUCT_NOT_FOUND';

  constructor(readonly productId: number) {
    super(`Product ${productId} does not exist`);
  }
}

export class OutOfStock extends DomainError {
  readonly code = 'OUT_OF_STOCK';

  constructor(
    readonly productId: number,
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Product ${productId} has ${available} in stock, ${requested} requested`);
  }
}
