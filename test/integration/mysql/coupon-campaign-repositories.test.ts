import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { couponCampaignPersistenceTests } from '../../support/coupon-campaign-persistence.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

describeWithRealServers('MikroORM coupon campaigns and campaign coupons (MySQL, real server)', () => {
  couponCampaignPersistenceTests(async () => {
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
