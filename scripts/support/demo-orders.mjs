// Orders the tooling places, against the demo data of src/infrastructure/persistence/mikro-orm/demo-data.ts.

/**
 * The README's coupon order: user 1 buys one keyboard and two mice with coupon 2. The coupon works once
 * per database, so the same order again answers 409 COUPON_UNAVAILABLE (chapter 07's demo shows it).
 */
export const couponOrder = {
  userId: 1,
  items: [
    { productId: 1, quantity: 1 },
    { productId: 2, quantity: 2 },
  ],
  couponId: 2,
};
