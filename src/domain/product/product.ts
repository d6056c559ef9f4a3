import { assertNonNegativeInteger, assertPositiveInteger } from '../shared/guards.js';
import { OutOfStock } from './product-errors.js';

export interface ProductPrimitives {
  readonly id: number;
  readonly name: string;
  /** In the smallest currency unit (integers only: no floating-point money). */
  readonly price: number;
  readonly stock: number;
}

export class Product {
  #stock: number;

  private constructor(
    readonly id: number,
    readonly name: string,
    readonly price: number,
    stock: number,
  ) {
    assertPositiveInteger(id, 'product id');
    assertNonNegativeInteger(price, 'price');
    assertNonNegativeInteger(stock, 'stock');
    this.#stock = stock;
  }

  static fromPrimitives(primitives: ProductPrimitives): Product {
    return new Product(primitives.id, primitives.name, primitives.price, primitives.stock);
  }

  get stock(): number {
    return this.#stock;
  }

  /** Takes `quantity` units out of stock. Stock never goes below zero. */
  decreaseStock(quantity: number): void {
    assertPositiveInteger(quantity, 'quantity');
    if (quantity > this.#stock) {
      throw new OutOfStock(this.id, quantity, this.#stock);
    }
    this.#stock -= quantity;
  }

  toPrimitives(): ProductPrimitives {
    return { id: this.id, name: this.name, price: this.price, stock: this.#stock };
  }
}
