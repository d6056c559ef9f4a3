import type { Database } from './database.js';
import { CouponCampaignRow, CouponRow, ProductRow, UserRow } from './schema.js';

// What a learner can order right after the first start (or `npm run db:reset`). Prices and points are whole
// currency units. Sized for a workshop: Alice and Carol can each pay for hundreds of orders and the stock lasts
// as long. Two things run out on purpose, to show a 409: Bob's points and the 10 headphones.
export const demoProducts = [
  { id: 1, name: 'Mechanical Keyboard', price: 89_000, stock: 1_000 },
  { id: 2, name: 'Wireless Mouse', price: 39_000, stock: 2_000 },
  { id: 3, name: '27" Monitor', price: 329_000, stock: 500 },
  { id: 4, name: 'USB-C Hub', price: 45_000, stock: 1_000 },
  { id: 5, name: 'Laptop Stand', price: 52_000, stock: 1_000 },
  { id: 6, name: 'Noise-Cancelling Headphones', price: 279_000, stock: 10 },
];

/** Enough users for a coupon rush: a thousand of them can ask for the same campaign at once. */
export const demoUserCount = 1_000;

export const demoUsers = [
  { id: 1, name: 'Alice', points: 100_000_000 },
  { id: 2, name: 'Bob', points: 500_000 },
  { id: 3, name: 'Carol', points: 100_000_000 },
  ...Array.from({ length: demoUserCount - 3 }, (_, index) => {
    const id = index + 4;
    return { id, name: `Shopper ${String(id).padStart(4, '0')}`, points: 1_000_000 };
  }),
];

export const demoCoupons = [
  { id: 1, user: 1, discountType: 'FIXED', discountValue: 5_000, usedAt: null },
  { id: 2, user: 1, discountType: 'PERCENTAGE', discountValue: 10, usedAt: null },
  { id: 3, user: 2, discountType: 'FIXED', discountValue: 10_000, usedAt: null },
  { id: 4, user: 3, discountType: 'PERCENTAGE', discountValue: 20, usedAt: null },
] as const;

// First-come campaigns, open from 2026 to 2099 so the demo works on any day; campaign 4 has closed (409).
// Campaign 3 is the demo's: ten coupons go in a blink.
const openFrom = new Date('2026-01-01T00:00:00.000Z');
const openUntil = new Date('2099-12-31T00:00:00.000Z');

export const demoCouponCampaigns = [
  {
    id: 1,
    name: 'First 100',
    discountType: 'FIXED',
    discountValue: 3_000,
    quantity: 100,
    opensAt: openFrom,
    closesAt: openUntil,
  },
  {
    id: 2,
    name: 'First 50',
    discountType: 'PERCENTAGE',
    discountValue: 10,
    quantity: 50,
    opensAt: openFrom,
    closesAt: openUntil,
  },
  {
    id: 3,
    name: 'First 10',
    discountType: 'FIXED',
    discountValue: 5_000,
    quantity: 10,
    opensAt: openFrom,
    closesAt: openUntil,
  },
  {
    id: 4,
    name: 'Last summer',
    discountType: 'FIXED',
    discountValue: 2_000,
    quantity: 100,
    opensAt: new Date('2025-06-01T00:00:00.000Z'),
    closesAt: new Date('2025-09-01T00:00:00.000Z'),
  },
] as const;

/** What the demo data holds, as the start-up log and `npm run db:reset` say it. */
export const demoDataSummary =
  `products 1-${demoProducts.length}, users 1-${demoUsers.length}, coupons 1-${demoCoupons.length}, ` +
  `coupon campaigns 1-${demoCouponCampaigns.length}`;

/** Fills an empty database with the demo catalogue; leaves a database that has products alone. */
export async function seedDemoData(database: Database): Promise<boolean> {
  return database.orm.em.transactional(async (em) => {
    if ((await em.count(ProductRow)) > 0) return false;
    // One multi-row INSERT per table: a thousand users one by one would slow every first start.
    await em.insertMany(ProductRow, demoProducts);
    await em.insertMany(UserRow, demoUsers);
    await em.insertMany(CouponRow, [...demoCoupons]);
    await em.insertMany(
      CouponCampaignRow,
      demoCouponCampaigns.map((campaign) => ({ ...campaign, issuedCount: 0 })),
    );
    return true;
  });
}
