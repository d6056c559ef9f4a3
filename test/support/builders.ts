import { CouponCampaign } from '../../src/domain/coupon-campaign/coupon-campaign.js';
import { Coupon, type CouponDiscount } from '../../src/domain/coupon/coupon.js';
import { OrderCompleted } from '../../src/domain/order/order-completed.js';
import type { OrderLine } from '../../src/domain/order/order-line.js';
import { Order } from '../../src/domain/order/order.js';
import { Product } from '../../src/domain/product/product.js';
import { User } from '../../src/domain/user/user.js';

// Builders with fixed, readable defaults: a test states only what matters to it.

export const FIXED_NOW = new Date('2026-11-21T09:00:00.000Z');

export function aProduct() {
  const data = { id: 1, name: 'Keyboard', price: 10_000, stock: 10 };
  const builder = {
    withId: (id: number) => ((data.id = id), builder),
    withPrice: (price: number) => ((data.price = price), builder),
    withStock: (stock: number) => ((data.stock = stock), builder),
    build: () => Product.fromPrimitives(data),
  };
  return builder;
}

export function aUser() {
  const data = { id: 1, name: 'Alice', points: 100_000 };
  const builder = {
    withId: (id: number) => ((data.id = id), builder),
    withPoints: (points: number) => ((data.points = points), builder),
    build: () => User.fromPrimitives(data),
  };
  return builder;
}

export function aCoupon() {
  const data: {
    id: number;
    userId: number;
    discount: CouponDiscount;
    campaignId: number | null;
    usedAt: Date | null;
  } = {
    id: 1,
    userId: 1,
    discount: { type: 'FIXED', amount: 1_000 },
    campaignId: null,
    usedAt: null,
  };
  const builder = {
    withId: (id: number) => ((data.id = id), builder),
    issuedTo: (userId: number) => ((data.userId = userId), builder),
    fixed: (amount: number) => ((data.discount = { type: 'FIXED', amount }), builder),
    percentage: (percent: number) => ((data.discount = { type: 'PERCENTAGE', percent }), builder),
    usedAt: (at: Date) => ((data.usedAt = at), builder),
    fromCampaign: (campaignId: number) => ((data.campaignId = campaignId), builder),
    build: () => Coupon.fromPrimitives(data),
  };
  return builder;
}

/** A campaign open around FIXED_NOW: 10 coupons of 1,000 off, none issued yet. */
export function aCouponCampaign() {
  const data: {
    id: number;
    name: string;
    discount: CouponDiscount;
    quantity: number;
    issuedCount: number;
    opensAt: Date;
    closesAt: Date;
  } = {
    id: 1,
    name: 'First 10',
    discount: { type: 'FIXED', amount: 1_000 },
    quantity: 10,
    issuedCount: 0,
    opensAt: new Date('2026-01-01T00:00:00.000Z'),
    closesAt: new Date('2099-12-31T00:00:00.000Z'),
  };
  const builder = {
    withId: (id: number) => ((data.id = id), builder),
    withQuantity: (quantity: number) => ((data.quantity = quantity), builder),
    withIssued: (issuedCount: number) => ((data.issuedCount = issuedCount), builder),
    percentage: (percent: number) => ((data.discount = { type: 'PERCENTAGE', percent }), builder),
    openBetween: (opensAt: Date, closesAt: Date) => (
      (data.opensAt = opensAt),
      (data.closesAt = closesAt),
      builder
    ),
    build: () => CouponCampaign.fromPrimitives(data),
  };
  return builder;
}

export function anOrder() {
  const lines: OrderLine[] = [];
  const data: { id: string; userId: number; coupon: Coupon | null } = {
    id: '00000000-0000-4000-8000-000000000001',
    userId: 1,
    coupon: null,
  };
  const builder = {
    withId: (id: string) => ((data.id = id), builder),
    withItem: (productId: number, quantity: number, unitPrice = 10_000) => {
      lines.push({ productId, productName: `Product ${productId}`, unitPrice, quantity });
      return builder;
    },
    withCoupon: (coupon: Coupon) => ((data.coupon = coupon), builder),
    build: () =>
      Order.place({
        id: data.id,
        userId: data.userId,
        lines:
          lines.length > 0
            ? lines
            : [{ productId: 1, productName: 'Product 1', unitPrice: 10_000, quantity: 1 }],
        coupon: data.coupon,
        placedAt: FIXED_NOW,
      }),
  };
  return builder;
}

/** An `OrderCompleted` event for tests that care only that an event of that type exists. */
export function anOrderCompletedEvent(orderId = 'order-1'): OrderCompleted {
  return new OrderCompleted({
    orderId,
    userId: 1,
    lines: [],
    couponId: null,
    totalAmount: 0,
    discountAmount: 0,
    paidAmount: 0,
  });
}
