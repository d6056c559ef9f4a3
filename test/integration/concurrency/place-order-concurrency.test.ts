import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PlaceOrder } from '../../../src/application/order/place-order/place-order.js';
import { startTestService, type TestService } from '../../support/test-service.js';

describe('PlaceOrder under concurrent requests (SQLite)', () => {
  let shop: TestService;
  let placeOrder: PlaceOrder;

  beforeEach(async () => {
    shop = await startTestService({ SEED_DEMO_DATA: 'false' });
    // Stock is the only scarce thing here: every user can afford every order.
    await shop.insert({
      products: [{ id: 1, name: 'Limited Edition', price: 1_000, stock: 10 }],
      users: [1, 2, 3].map((id) => ({ id, name: `User ${id}`, points: 1_000_000 })),
      coupons: [{ id: 1, user: 1, discountType: 'FIXED', discountValue: 100 }],
    });
    placeOrder = shop.service.container.get(PlaceOrder);
  });
  afterEach(() => shop.stop());

  const codesOf = (results: PromiseSettledResult<unknown>[]) =>
    results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as { code?: string }).code] : [],
    );

  it('sells 10 units to exactly 10 of 50 simultaneous orders, and no more', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        placeOrder.execute({ userId: (index % 3) + 1, items: [{ productId: 1, quantity: 1 }] }),
      ),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    expect(codesOf(results)).toEqual(Array(40).fill('OUT_OF_STOCK'));
    const after = await shop.snapshot();
    expect(after.stock).toEqual([0]);
    expect(after.orders).toBe(10);
  });

  it('lets a coupon be used by exactly one of 5 simultaneous orders', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        placeOrder.execute({ userId: 1, items: [{ productId: 1, quantity: 1 }], couponId: 1 }),
      ),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(codesOf(results)).toEqual(Array(4).fill('COUPON_UNAVAILABLE'));
    const after = await shop.snapshot();
    expect(after.usedCoupons).toBe(1);
    expect(after.stock).toEqual([9]);
  });
});
