import { describe } from '@jest/globals';
import { couponCampaignPersistenceTests } from '../../support/coupon-campaign-persistence.js';
import { openTestDatabase } from '../../support/test-database.js';

describe('MikroORM coupon campaigns and campaign coupons on SQLite', () => {
  couponCampaignPersistenceTests(openTestDatabase);
});
