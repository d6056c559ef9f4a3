import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { MikroOrmOrderRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-order-repository.js';
import { MikroOrmProductRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-repository.js';
import { MikroOrmUserRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-user-repository.js';
import { anOrder, FIXED_NOW } from '../../support/builders.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { insertRows, openTestDatabase } from '../../support/test-database.js';

describe('MikroORM repositories on SQLite', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let transactions: MikroOrmTransactionManager;

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
    await insertRows(database, {
      users: [{ id: 1, name: 'Alice', points: 1_000 }],
      products: [3, 1, 2].map((id) => ({ id, name: `Product ${id}`, price: 1_000 * id, stock: 10 * id })),
      coupons: [
        { id: 1, user: 1, discountType: 'FIXED', discountValue: 500 },
        { id: 2, user: 1, discountType: 'PERCENTAGE', discountValue: 15, usedAt: FIXED_NOW },
      ],
    });
  });
  afterEach(() => remove());

  it('reads products in id order, and locks only the ones that exist', async () => {
    const products = new MikroOrmProductRepository(database);

    const locked = await transactions.run(() => products.findByIdsForUpdate([3, 99, 1, 3]));

    expect(locked.map((product) => product.toPrimitives())).toEqual([
      { id: 1, name: 'Product 1', price: 1_000, stock: 10 },
      { id: 3, name: 'Product 3', price: 3_000, stock: 30 },
    ]);
    expect((await products.findAll()).map((product) => product.id)).toEqual([1, 2, 3]);
  });

  it('saves the new stock of a product', async () => {
    const products = new MikroOrmProductRepository(database);

    await transactions.run(async () => {
      const [product] = await products.findByIdsForUpdate([2]);
      product!.decreaseStock(5);
      await products.save(product!);
    });

    expect((await products.findAll()).map((product) => product.stock)).toEqual([10, 15, 30]);
  });

  it('refuses to lock rows outside a transaction', async () => {
    await expect(new MikroOrmProductRepository(database).findByIdsForUpdate([1])).rejects.toThrow(
      /transaction/i,
    );
    await expect(new MikroOrmUserRepository(database).findByIdForUpdate(1)).rejects.toThrow(/transaction/i);
    await expect(new MikroOrmCouponRepository(database).findByIdForUpdate(1)).rejects.toThrow(/transaction/i);
  });

  it('saves what a user has left to spend', async () => {
    const users = new MikroOrmUserRepository(database);

    await transactions.run(async () => {
      const user = await users.findByIdForUpdate(1);
      user!.payWithPoints(400);
      await users.save(user!);
    });

    const stored = await transactions.run(() => users.findByIdForUpdate(1));
    expect(stored?.toPrimitives()).toEqual({ id: 1, name: 'Alice', points: 600 });
    expect(await transactions.run(() => users.findByIdForUpdate(2))).toBeNull();
  });

  it('reads both kinds of coupon, and saves when one was used', async () => {
    const coupons = new MikroOrmCouponRepository(database);

    await transactions.run(async () => {
      const coupon = await coupons.findByIdForUpdate(1);
      coupon!.use(1, FIXED_NOW);
      await coupons.save(coupon!);
    });

    const stored = await transactions.run(async () => [
      await coupons.findByIdForUpdate(1),
      await coupons.findByIdForUpdate(2),
    ]);
    expect(stored.map((coupon) => coupon?.toPrimitives())).toEqual([
      { id: 1, userId: 1, discount: { type: 'FIXED', amount: 500 }, campaignId: null, usedAt: FIXED_NOW },
      {
        id: 2,
        userId: 1,
        discount: { type: 'PERCENTAGE', percent: 15 },
        campaignId: null,
        usedAt: FIXED_NOW,
      },
    ]);
  });

  it('adds an order with its lines and reads it back unchanged', async () => {
    const orders = new MikroOrmOrderRepository(database);
    const order = anOrder().withId(orders.nextId()).withItem(2, 3, 1_500).withItem(1, 1, 9_000).build();
    order.complete(FIXED_NOW);

    await transactions.run(() => orders.add(order));

    expect((await orders.findById(order.id))?.toPrimitives()).toEqual(order.toPrimitives());
    expect(await orders.findById(orders.nextId())).toBeNull();
  });

  it('refuses to add the same order twice', async () => {
    const orders = new MikroOrmOrderRepository(database);
    const order = anOrder().withId(orders.nextId()).build();
    await transactions.run(() => orders.add(order));

    await expect(transactions.run(() => orders.add(order))).rejects.toThrow(/unique|constraint/i);
  });
});
