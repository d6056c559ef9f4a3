import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { PlaceOrder } from '../../src/application/order/place-order/place-order.js';
import { startTestService, type TestService } from './test-service.js';

/**
 * The concurrency checks for `PlaceOrder`, run on each database (SQLite, MySQL): many orders at once,
 * one scarce thing (stock, a coupon, points), and never more sold or spent than there is.
 * `database.open` gives the service a fresh database for each test, as environment variables.
 */
export function placeOrderConcurrencyTests(database: {
  open: () => Promise<{ environment: NodeJS.ProcessEnv; drop: () => Promise<void> }>;
}): void {
  let shop: TestService;
  let placeOrder: PlaceOrder;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const opened = await database.open();
    drop = opened.drop;
    shop = await startTestService({ SEED_DEMO_DATA: 'false', ...opened.environment });
    // Stock is the only scarce thing here, except where a test says otherwise.
    await shop.insert({
      products: [{ id: 1, name: 'Limited Edition', price: 1_000, stock: 10 }],
      users: [
        ...[1, 2, 3].map((id) => ({ id, name: `User ${id}`, points: 1_000_000 })),
        { id: 4, name: 'Almost broke', points: 3_500 },
      ],
      coupons: [{ id: 1, user: 1, discountType: 'FIXED', discountValue: 100 }],
    });
    placeOrder = shop.service.container.get(PlaceOrder);
  }, 30_000);
  afterEach(async () => {
    await shop.stop();
    await drop();
  });

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

  it('never lets points go below zero: 3,500 points pay for exactly 3 of 8 simultaneous orders', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        placeOrder.execute({ userId: 4, items: [{ productId: 1, quantity: 1 }] }),
      ),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(codesOf(results)).toEqual(Array(5).fill('INSUFFICIENT_POINTS'));
    const after = await shop.snapshot();
    expect(after.points[3]).toBe(500);
    expect(after.stock).toEqual([7]);
  });
}
