import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { MikroOrmOrderRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-order-repository.js';
import { MikroOrmProductRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-repository.js';
import { MikroOrmUserRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-user-repository.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { aCoupon, anOrder, aProduct, aUser, FIXED_NOW } from '../../support/builders.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { openTestDatabase } from '../../support/test-database.js';

describe('MikroORM repositories on SQLite', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let transactions: MikroOrmTransactionManager;

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
  });
  afterEach(() => remove());

  it('stores products and locks them in id order', async () => {
    const products = new MikroOrmProductRepository(database);
    await transactions.run(async () => {
      for (const id of [3, 1, 2])
        await products.save(
          aProduct()
            .withId(id)
            .withStock(id * 10)
            .build(),
        );
    });

    const locked = await transactions.run(() => products.findByIdsForUpdate([3, 99, 1, 3]));

    expect(locked.map((product) => product.toPrimitives())).toEqual([
      { id: 1, name: 'Keyboard', price: 10_000, stock: 10 },
      { id: 3, name: 'Keyboard', price: 10_000, stock: 30 },
    ]);
    expect((await products.findAll()).map((product) => product.id)).toEqual([1, 2, 3]);
  });

  it('refuses to lock rows outside a transaction', async () => {
    const products = new MikroOrmProductRepository(database);

    await expect(products.findByIdsForUpdate([1])).rejects.toThrow(/transaction/i);
  });

  it('stores users and their points', async () => {
    const users = new MikroOrmUserRepository(database);
    const user = aUser().withId(5).withPoints(1_000).build();
    await transactions.run(() => users.save(user));
    user.payWithPoints(400);
    await transactions.run(() => users.save(user));

    const stored = await transactions.run(() => users.findByIdForUpdate(5));

    expect(stored?.toPrimitives()).toEqual({ id: 5, name: 'Alice', points: 600 });
    expect(await transactions.run(() => users.findByIdForUpdate(6))).toBeNull();
  });

  it('stores both kinds of coupon and when they were used', async () => {
    const users = new MikroOrmUserRepository(database);
    const coupons = new MikroOrmCouponRepository(database);
    const fixed = aCoupon().withId(1).issuedTo(1).fixed(500).build();
    const percentage = aCoupon().withId(2).issuedTo(1).percentage(15).usedAt(FIXED_NOW).build();
    await transactions.run(async () => {
      await users.save(aUser().withId(1).build());
      await coupons.save(fixed);
      await coupons.save(percentage);
    });

    const stored = await transactions.run(async () => [
      await coupons.findByIdForUpdate(1),
      await coupons.findByIdForUpdate(2),
    ]);

    expect(stored.map((coupon) => coupon?.toPrimitives())).toEqual([
      fixed.toPrimitives(),
      percentage.toPrimitives(),
    ]);
  });

  it('stores an order with its lines and reads it back unchanged', async () => {
    const orders = new MikroOrmOrderRepository(database);
    const order = anOrder().withId(orders.nextId()).withItem(2, 3, 1_500).withItem(1, 1, 9_000).build();
    order.complete(FIXED_NOW);
    await transactions.run(async () => {
      await new MikroOrmUserRepository(database).save(aUser().withId(1).build());
      const products = new MikroOrmProductRepository(database);
      await products.save(aProduct().withId(1).build());
      await products.save(aProduct().withId(2).build());
      await orders.save(order);
    });

    const stored = await orders.findById(order.id);

    expect(stored?.toPrimitives()).toEqual(order.toPrimitives());
    expect(await orders.findById(orders.nextId())).toBeNull();
  });
});
