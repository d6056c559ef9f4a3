import { defineEntity, p } from '@mikro-orm/core';

// Money and points are BIGINT (read as JS numbers): the domain allows any safe integer, and MySQL's INT
// stops at 2,147,483,647.
//
// Table mappings. These describe rows, not domain objects: the repositories translate between a row and
// an aggregate (`fromPrimitives` / `toPrimitives`), so the domain never learns that MikroORM exists.

export const ProductRow = defineEntity({
  name: 'ProductRow',
  tableName: 'products',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    price: p.bigint('number'),
    stock: p.integer(),
  },
});

export const UserRow = defineEntity({
  name: 'UserRow',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100),
    points: p.bigint('number'),
  },
});

export const CouponRow = defineEntity({
  name: 'CouponRow',
  tableName: 'coupons',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(UserRow).fieldName('user_id'),
    discountType: p.enum(['FIXED', 'PERCENTAGE'] as const),
    discountValue: p.bigint('number'),
    usedAt: p.datetime(3).nullable(),
  },
});

export const OrderRow = defineEntity({
  name: 'OrderRow',
  tableName: 'orders',
  properties: {
    id: p.string().length(36).primary(),
    user: () => p.manyToOne(UserRow).fieldName('user_id'),
    coupon: () => p.manyToOne(CouponRow).fieldName('coupon_id').nullable(),
    status: p.enum(['PLACED', 'COMPLETED'] as const),
    totalAmount: p.bigint('number'),
    discountAmount: p.bigint('number'),
    paidAmount: p.bigint('number'),
    placedAt: p.datetime(3),
    completedAt: p.datetime(3).nullable(),
  },
});

export const OrderItemRow = defineEntity({
  name: 'OrderItemRow',
  tableName: 'order_items',
  properties: {
    order: () => p.manyToOne(OrderRow).fieldName('order_id').primary(),
    // Order history must outlive catalogue changes: a product that was ordered cannot be deleted.
    product: () =>
      p.manyToOne(ProductRow).fieldName('product_id').primary().deleteRule('restrict').updateRule('restrict'),
    productName: p.string().length(200),
    unitPrice: p.bigint('number'),
    quantity: p.integer(),
  },
});

// The product-ranking consumer's own read model, built from order-completed events only. It copies the
// product name from the event instead of joining `products`: a consumer in another service could not.
export const ProductSalesRow = defineEntity({
  name: 'ProductSalesRow',
  tableName: 'product_sales',
  properties: {
    productId: p.integer().primary().autoincrement(false),
    productName: p.string().length(200),
    unitsSold: p.bigint('number').index('product_sales_units_sold_index'),
  },
});

export const persistenceSchema = [ProductRow, UserRow, CouponRow, OrderRow, OrderItemRow, ProductSalesRow];
