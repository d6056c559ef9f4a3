import { IssueCoupon } from '../../src/application/coupon-campaign/issue-coupon/issue-coupon.js';
import { IssueCouponDirectly } from '../../src/application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import type { CouponCampaign } from '../../src/domain/coupon-campaign/coupon-campaign.js';
import type { Coupon } from '../../src/domain/coupon/coupon.js';
import type { User } from '../../src/domain/user/user.js';
import { FIXED_NOW } from './builders.js';
import { FakeIssueRequestStatuses } from './fakes/fake-issue-request-statuses.js';
import { FakeTransactionManager } from './fakes/fake-transaction-manager.js';
import { FixedClock } from './fakes/fixed-clock.js';
import {
  InMemoryCouponCampaignRepository,
  InMemoryCouponRepository,
  InMemoryUserRepository,
} from './fakes/in-memory-repositories.js';
import { RecordingLogger } from './fakes/recording-logger.js';

/** `IssueCoupon` and `IssueCouponDirectly` wired by hand to fakes, on one set of campaigns, users and coupons. */
export function issueCouponFixture(seed: {
  campaigns?: CouponCampaign[];
  users?: User[];
  coupons?: Coupon[];
}) {
  const transactions = new FakeTransactionManager();
  const campaigns = new InMemoryCouponCampaignRepository(seed.campaigns);
  const users = new InMemoryUserRepository(seed.users);
  const coupons = new InMemoryCouponRepository(seed.coupons);
  const statuses = new FakeIssueRequestStatuses();
  const clock = new FixedClock(FIXED_NOW);
  const logger = new RecordingLogger();
  return {
    issueCoupon: new IssueCoupon(transactions, campaigns, coupons, statuses, clock, logger),
    issueCouponDirectly: new IssueCouponDirectly(transactions, campaigns, users, coupons, clock, logger),
    transactions,
    campaigns,
    coupons,
    statuses,
    logger,
  };
}
