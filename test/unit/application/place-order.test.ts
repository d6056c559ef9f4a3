import { describe, expect, it } from '@jest/globals';
import { CouponNotFound, CouponUnavailable } from '../../../src/domain/coupon/coupon-errors.js';
import { OutOfStock, ProductNotFound } from '../../../src/domain/product/product-errors.js';
import { InsufficientPoints, UserNotFound } from '../../../src/domain/user/user-errors.js';
import { aCoupon, aProduct, aUser, FIXED_NOW } from '../../support/builders.js';
import { placeOrderFixture } from '../../support/place-order-fixture.js';

const shop = () =>
  placeOrderFixture({
    users: [aUser().withId(1).withPoints(100_000).build(), aUser().withId(2).withPoints(5_000).build()],
    products: [
      aProduct().withId(1).withPrice(10_000).withStock(5).build(),
      aProduct().withId(2).withPrice(3_000).withStock(1).build(),
    ],
    coupons: [
      aCoupon().withId(1).issuedTo(1).fixed(2_000).build(),
      aCoupon().withId(2).issuedTo(1).fixed(2_000).usedAt(FIXED_NOW).build(),
    ],
  });

describe('PlaceOrder', () => {
  it('takes stock, uses the coupon, pays with points and completes the order in one transaction', async () => {
    const { placeOrder, products, users, coupons, transactions } = shop();

    const order = await placeOrder.execute({
      userId: 1,
      items: [
        { productId: 2, quantity: 1 },
        { productId: 1, quantity: 2 },
      ],
      couponId: 1,
    });

    expect(order).toMatchObject({
      status: 'COMPLETED',
      totalAmount: 23_000,
      discountAmount: 2_000,
      paidAmount: 21_000,
      couponId: 1,
    });
    expect(order.items.map((item) => [item.productId, item.quantity, item.amount])).toEqual([
      [1, 2, 20_000],
      [2, 1, 3_000],
    ]);
    expect(products.rows.get(1)?.stock).toBe(3);
    expect(products.rows.get(2)?.stock).toBe(0);
    expect(users.rows.get(1)?.points).toBe(79_000);
    expect(coupons.rows.get(1)?.usedAt).toEqual(FIXED_NOW);
    expect(transactions.journal).toEqual(['begin', 'commit']);
  });

  it('publishes one order.completed message, keyed by the order id, after the commit', async () => {
    const { placeOrder, publisher, requestContext, settle } = shop();

    const order = await requestContext.run('request-42', () =>
      placeOrder.execute({ userId: 1, items: [{ productId: 1, quantity: 1 }] }),
    );
    expect(publisher.published).toHaveLength(0); // the response does not wait for the publisher
    await settle();

    expect(publisher.published).toHaveLength(1);
    const [message] = publisher.published;
    expect(message).toMatchObject({
      topic: 'outside.order.completed.v1',
      key: order.id,
      headers: { 'event-type': 'order.completed', 'request-id': 'request-42' },
    });
    const envelope = JSON.parse(message!.value);
    expect(envelope).toMatchObject({
      type: 'order.completed',
      version: 1,
      eventId: message!.headers['event-id'],
      occurredAt: FIXED_NOW.toISOString(),
      payload: { orderId: order.id, userId: 1, paidAmount: 10_000, items: [{ productId: 1, quantity: 1 }] },
    });
  });

  it.each([
    ['an unknown user', { userId: 99, items: [{ productId: 1, quantity: 1 }] }, UserNotFound],
    ['an unknown product', { userId: 1, items: [{ productId: 99, quantity: 1 }] }, ProductNotFound],
    [
      'an unknown coupon',
      { userId: 1, items: [{ productId: 1, quantity: 1 }], couponId: 99 },
      CouponNotFound,
    ],
    ['more than the stock', { userId: 1, items: [{ productId: 2, quantity: 2 }] }, OutOfStock],
    ['more than the points', { userId: 2, items: [{ productId: 1, quantity: 1 }] }, InsufficientPoints],
    ['a used coupon', { userId: 1, items: [{ productId: 1, quantity: 1 }], couponId: 2 }, CouponUnavailable],
    [
      "another user's coupon",
      { userId: 2, items: [{ productId: 2, quantity: 1 }], couponId: 1 },
      CouponUnavailable,
    ],
  ])('rolls back and publishes nothing for %s', async (_case, command, expectedError) => {
    const { placeOrder, products, users, coupons, orders, publisher, transactions, settle } = shop();
    const before = { products: [...products.rows.values()], users: [...users.rows.values()] };

    await expect(placeOrder.execute(command)).rejects.toThrow(expectedError);
    await settle();

    expect(transactions.journal).toEqual(['begin', 'rollback']);
    expect([...products.rows.values()]).toEqual(before.products);
    expect([...users.rows.values()]).toEqual(before.users);
    expect(coupons.rows.get(1)?.usedAt).toBeNull();
    expect(orders.rows.size).toBe(0);
    expect(publisher.published).toHaveLength(0);
  });
});
