import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponCampaignRepository } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-campaign-repository.js';
import { MikroOrmCouponRepository } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { FIXED_NOW } from './builders.js';
import { RecordingLogger } from './fakes/recording-logger.js';
import { insertRows } from './test-database.js';

const opensAt = new Date('2026-01-01T00:00:00.000Z');
const closesAt = new Date('2099-12-31T00:00:00.000Z');

/**
 * The coupon-campaign rows and campaign coupons, run on each database (SQLite, MySQL): the mapping both
 * ways, and the unique constraint that refuses a second coupon of one campaign for one user.
 */
export function couponCampaignPersistenceTests(
  open: () => Promise<{ database: Database; remove: () => Promise<void> }>,
): void {
  let database: Database;
  let remove: () => Promise<void>;
  let transactions: MikroOrmTransactionManager;
  let campaigns: MikroOrmCouponCampaignRepository;
  let coupons: MikroOrmCouponRepository;

  beforeEach(async () => {
    ({ database, remove } = await open());
    transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
    campaigns = new MikroOrmCouponCampaignRepository(database);
    coupons = new MikroOrmCouponRepository(database);
    await insertRows(database, {
      users: [1, 2].map((id) => ({ id, name: `User ${id}`, points: 0 })),
      couponCampaigns: [
        {
          id: 2,
          name: 'First 50',
          discountType: 'PERCENTAGE',
          discountValue: 10,
          quantity: 50,
          opensAt,
          closesAt,
        },
        {
          id: 1,
          name: 'First 100',
          discountType: 'FIXED',
          discountValue: 3_000,
          quantity: 100,
          opensAt,
          closesAt,
        },
      ],
      coupons: [{ id: 1, user: 1, discountType: 'FIXED', discountValue: 500 }],
    });
  }, 30_000);
  afterEach(() => remove());

  it('reads campaigns in id order, with both kinds of discount', async () => {
    const all = await campaigns.findAll();

    expect(all.map((campaign) => campaign.toPrimitives())).toEqual([
      {
        id: 1,
        name: 'First 100',
        discount: { type: 'FIXED', amount: 3_000 },
        quantity: 100,
        issuedCount: 0,
        opensAt,
        closesAt,
      },
      {
        id: 2,
        name: 'First 50',
        discount: { type: 'PERCENTAGE', percent: 10 },
        quantity: 50,
        issuedCount: 0,
        opensAt,
        closesAt,
      },
    ]);
    expect((await campaigns.findById(2))?.name).toBe('First 50');
    expect(await campaigns.findById(99)).toBeNull();
  });

  it('locks a campaign only inside a transaction, and saves its issued count', async () => {
    await expect(campaigns.findByIdForUpdate(1)).rejects.toThrow(/transaction/i);

    await transactions.run(async () => {
      const campaign = await campaigns.findByIdForUpdate(1);
      campaign!.issueCouponTo(1);
      campaign!.issueCouponTo(2);
      await campaigns.save(campaign!);
    });

    expect((await campaigns.findById(1))?.issuedCount).toBe(2);
    expect(await transactions.run(() => campaigns.findByIdForUpdate(99))).toBeNull();
  });

  it('issues a coupon with a new id, and finds it by campaign and user', async () => {
    const issued = await transactions.run(() =>
      coupons.issue({ campaignId: 2, userId: 1, discount: { type: 'PERCENTAGE', percent: 10 } }, FIXED_NOW),
    );

    const expected = {
      id: issued.id,
      userId: 1,
      discount: { type: 'PERCENTAGE', percent: 10 },
      campaignId: 2,
      usedAt: null,
    };
    expect(issued.id).toBeGreaterThan(1);
    expect(issued.toPrimitives()).toEqual(expected);
    expect((await coupons.findIssued(2, 1))?.toPrimitives()).toEqual(expected);
    expect((await transactions.run(() => coupons.findByIdForUpdate(issued.id)))?.toPrimitives()).toEqual(
      expected,
    );
    expect(await coupons.findIssued(2, 2)).toBeNull();
    expect(await coupons.findIssued(1, 1)).toBeNull();
  });

  it('refuses a second coupon of one campaign for one user, on the unique constraint', async () => {
    const discount = { type: 'FIXED', amount: 3_000 } as const;
    await transactions.run(() => coupons.issue({ campaignId: 1, userId: 1, discount }, FIXED_NOW));

    await expect(
      transactions.run(() => coupons.issue({ campaignId: 1, userId: 1, discount }, FIXED_NOW)),
    ).rejects.toThrow(/unique|duplicate/i);
    // The same user in another campaign, or another user in the same one, is fine.
    await transactions.run(() => coupons.issue({ campaignId: 2, userId: 1, discount }, FIXED_NOW));
    await transactions.run(() => coupons.issue({ campaignId: 1, userId: 2, discount }, FIXED_NOW));
  });
}
