import { describe } from '@jest/globals';
import { issueCouponConcurrencyTests } from '../../support/issue-coupon-concurrency.js';
import { openTestDatabase } from '../../support/test-database.js';

// On SQLite one connection serializes transactions, so this proves the use cases' logic under
// interleaving, not the row lock: the MySQL run (test/integration/mysql) does that.
describe('Issuing coupons under a rush (SQLite)', () => {
  issueCouponConcurrencyTests(openTestDatabase);
});
