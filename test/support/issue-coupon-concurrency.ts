import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { IssueCoupon } from '../../src/application/coupon-campaign/issue-coupon/issue-coupon.js';
import { IssueCouponDirectly } from '../../src/application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import type { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponCampaignRepository } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-campaign-repository.js';
import { MikroOrmCouponRepository } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { MikroOrmUserRepository } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-user-repository.js';
import { CouponCampaignRow, CouponRow } from '../../src/infrastructure/persistence/mikro-orm/schema.js';
import { FIXED_NOW } from './builders.js';
import { FakeIssueRequestStatuses } from './fakes/fake-issue-request-statuses.js';
import { FixedClock } from './fakes/fixed-clock.js';
import { RecordingLogger } from './fakes/recording-logger.js';
import { insertRows } from './test-database.js';

const USERS = 60;
const QUANTITY = 10;

/**
 * The rush on each database (SQLite, MySQL), through the real adapters: many users at once for fewer
 * coupons. The campaign's row lock must hold the count to the quantity, one coupon per user.
 */
export function issueCouponConcurrencyTests(
  open: () => Promise<{ database: Database; remove: () => Promise<void> }>,
): void {
  let database: Database;
  let remove: () => Promise<void>;
  let issueCouponDirectly: IssueCouponDirectly;
  let issueCoupon: IssueCoupon;
  let statuses: FakeIssueRequestStatuses;

  beforeEach(async () => {
    ({ database, remove } = await open());
    const logger = new RecordingLogger();
    const transactions = new MikroOrmTransactionManager(database, logger);
    const campaigns = new MikroOrmCouponCampaignRepository(database);
    const coupons = new MikroOrmCouponRepository(database);
    const clock = new FixedClock(FIXED_NOW);
    statuses = new FakeIssueRequestStatuses();
    issueCouponDirectly = new IssueCouponDirectly(
      transactions,
      campaigns,
      new MikroOrmUserRepository(database),
      coupons,
      clock,
      logger,
    );
    issueCoupon = new IssueCoupon(transactions, campaigns, coupons, statuses, clock, logger);
    await insertRows(database, {
      users: Array.from({ length: USERS }, (_, index) => ({
        id: index + 1,
        name: `User ${index + 1}`,
        points: 0,
      })),
      couponCampaigns: [
        {
          id: 1,
          name: `First ${QUANTITY}`,
          discountType: 'FIXED',
          discountValue: 1_000,
          quantity: QUANTITY,
          opensAt: new Date('2026-01-01T00:00:00.000Z'),
          closesAt: new Date('2099-12-31T00:00:00.000Z'),
        },
      ],
    });
  }, 30_000);
  afterEach(() => remove());

  const issuedCoupons = () => database.em().find(CouponRow, { campaign: 1 }, { orderBy: { id: 'asc' } });
  const issuedCount = async () =>
    (await database.em().findOneOrFail(CouponCampaignRow, { id: 1 })).issuedCount;

  it(`issues directly exactly ${QUANTITY} coupons to ${USERS} users asking at once, one each, never more`, async () => {
    const results = await Promise.allSettled(
      Array.from({ length: USERS }, (_, index) =>
        issueCouponDirectly.execute({ campaignId: 1, userId: index + 1 }),
      ),
    );

    const issued = results.filter((result) => result.status === 'fulfilled');
    const refused = results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as { code?: string }).code] : [],
    );
    expect(issued).toHaveLength(QUANTITY);
    expect(refused).toEqual(Array(USERS - QUANTITY).fill('CAMPAIGN_SOLD_OUT'));
    const coupons = await issuedCoupons();
    expect(coupons).toHaveLength(QUANTITY);
    expect(new Set(coupons.map((coupon) => coupon.user.id)).size).toBe(QUANTITY);
    expect(await issuedCount()).toBe(QUANTITY);
  });

  it('gives one user asking 20 times at once one coupon, and the same answer every time', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => issueCouponDirectly.execute({ campaignId: 1, userId: 7 })),
    );

    expect(new Set(results.map((result) => result.couponId)).size).toBe(1);
    expect(results.filter((result) => !result.alreadyIssued)).toHaveLength(1);
    expect(await issuedCoupons()).toHaveLength(1);
    expect(await issuedCount()).toBe(1);
  });

  it('issues from the queue exactly once per user, even when every request is delivered twice at once', async () => {
    const requests = Array.from({ length: 2 * QUANTITY }, (_, index) => ({
      requestId: `request-${index + 1}`,
      campaignId: 1,
      userId: index + 1,
      position: index + 1,
    }));

    await Promise.all([...requests, ...requests].map((request) => issueCoupon.execute(request)));

    const coupons = await issuedCoupons();
    expect(coupons).toHaveLength(QUANTITY);
    expect(new Set(coupons.map((coupon) => coupon.user.id)).size).toBe(QUANTITY);
    expect(await issuedCount()).toBe(QUANTITY);
    const outcomes = new Map(statuses.recorded.map(({ requestId, outcome }) => [requestId, outcome.status]));
    expect([...outcomes.values()].filter((status) => status === 'ISSUED')).toHaveLength(QUANTITY);
    // A request delivered twice got the same outcome both times.
    for (const request of requests) {
      const both = statuses.recorded.filter(({ requestId }) => requestId === request.requestId);
      expect(both).toHaveLength(2);
      expect(both[1]?.outcome).toEqual(both[0]?.outcome);
    }
  });
}
