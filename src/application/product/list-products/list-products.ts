import { inject, injectable } from 'inversify';
import { ProductRepository } from '../../../domain/product/product-repository.js';

export interface ProductView {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly stock: number;
}

@injectable()
export class ListProducts {
  constructor(@inject(ProductRepository) private readonly products: ProductRepository) {}

  async execute(): Promise<ProductView[]> {
    const products = await this.products.findAll();
    return products.map((product) => product.toPrimitives());
  }
}
