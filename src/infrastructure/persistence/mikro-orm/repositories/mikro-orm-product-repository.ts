import { LockMode } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import { Product } from '../../../../domain/product/product.js';
import { ProductRepository } from '../../../../domain/product/product-repository.js';
import { Database } from '../database.js';
import { ProductRow } from '../schema.js';

@injectable()
export class MikroOrmProductRepository extends ProductRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async findAll(): Promise<Product[]> {
    const rows = await this.database.em().find(ProductRow, {}, { orderBy: { id: 'asc' } });
    return rows.map((row) => Product.fromPrimitives(row));
  }

  async findByIdsForUpdate(ids: readonly number[]): Promise<Product[]> {
    const rows = await this.database
      .em()
      .find(
        ProductRow,
        { id: { $in: [...new Set(ids)] } },
        { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
    return rows.map((row) => Product.fromPrimitives(row));
  }

  async save(product: Product): Promise<void> {
    const { id, ...columns } = product.toPrimitives();
    await this.database.em().nativeUpdate(ProductRow, { id }, columns);
  }
}
