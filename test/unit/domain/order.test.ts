import { describe, expect, it } from '@jest/globals';
import { OrderCompleted } from '../../../src/domain/order/order-completed.js';
import { InvalidOrder } from '../../../src/domain/order/order-errors.js';
import { Order } from '../../../src/domain/order/order.js';
import { aCoupon, anOrder, FIXED_NOW } from '../../support/builders.js';

describe('Order', () => {
  it('is priced from its lines', () => {
    const order = anOrder().withItem(1, 2, 10_000).withItem(2, 1, 5_000).build();

    expect(order.totalAmount).toBe(25_000);
    expect(order.discountAmount).toBe(0);
    expect(order.paidAmount).toBe(25_000);
    expect(order.status).toBe('PLACED');
  });

  it("takes the coupon's discount off what is paid", () => {
    const order = anOrder()
      .withItem(1, 1, 20_000)
      .withCoupon(aCoupon().withId(9).percentage(25).build())
      .build();

    expect(order.discountAmount).toBe(5_000);
    expect(order.paidAmount).toBe(15_000);
    expect(order.couponId).toBe(9);
  });

  it('keeps its lines in product-id order', () => {
    const order = anOrder().withItem(3, 1).withItem(1, 1).withItem(2, 1).build();

    expect(order.lines.map((line) => line.productId)).toEqual([1, 2, 3]);
  });

  it('needs at least one line', () => {
    expect(() => Order.place({ id: 'o-1', userId: 1, lines: [], placedAt: FIXED_NOW })).toThrow(InvalidOrder);
  });

  it('refuses the same product twice', () => {
    expect(() => anOrder().withItem(1, 1).withItem(1, 2).build()).toThrow('Product 1 appears more than once');
  });

  it('records OrderCompleted, with its facts, when completed', () => {
    const order = anOrder().withId('order-1').withItem(1, 2, 10_000).build();

    order.complete(FIXED_NOW);

    const events = order.pullDomainEvents();
    expect(events).toHaveLength(1);
    const event = events[0] as OrderCompleted;
    expect(event).toBeInstanceOf(OrderCompleted);
    expect(event.eventName).toBe('order.completed');
    expect(event.occurredAt).toEqual(FIXED_NOW);
    expect(event.toPrimitives()).toEqual({
      orderId: 'order-1',
      userId: 1,
      items: [{ productId: 1, productName: 'Product 1', quantity: 2, unitPrice: 10_000 }],
      couponId: null,
      totalAmount: 20_000,
      discountAmount: 0,
      paidAmount: 20_000,
      completedAt: FIXED_NOW.toISOString(),
    });
    expect(order.status).toBe('COMPLETED');
  });

  it('hands each event out once', () => {
    const order = anOrder().build();
    order.complete(FIXED_NOW);

    order.pullDomainEvents();

    expect(order.pullDomainEvents()).toEqual([]);
  });

  it('completes only once', () => {
    const order = anOrder().build();
    order.complete(FIXED_NOW);

    expect(() => order.complete(FIXED_NOW)).toThrow('is already completed');
  });

  it('records nothing when restored from storage', () => {
    const stored = anOrder().build();
    stored.complete(FIXED_NOW);

    const restored = Order.fromPrimitives(stored.toPrimitives());

    expect(restored.pullDomainEvents()).toEqual([]);
    expect(restored.toPrimitives()).toEqual(stored.toPrimitives());
  });
});
