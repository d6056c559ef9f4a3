import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { issueCouponConcurrencyTests } from '../../support/issue-coupon-concurrency.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

// Here the campaign's row lock (SELECT … FOR UPDATE) is what stands between concurrent transactions on a
// connection pool and a campaign that gives away more coupons than it has.
describeWithRealServers('Issuing coupons under a rush (MySQL, real server)', () => {
  issueCouponConcurrencyTests(async () => {
    const scratch = await createScratchDatabase();
    const { database } = await Database.open({ driver: 'mysql', url: scratch.url });
    return {
      database,
      remove: async () => {
        await database.close();
        await scratch.drop();
      },
    };
  });
});
