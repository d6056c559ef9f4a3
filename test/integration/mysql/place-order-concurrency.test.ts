import { placeOrderConcurrencyTests } from '../../support/place-order-concurrency.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

// Here the row locks (SELECT … FOR UPDATE) are what stands between 50 concurrent transactions on a
// connection pool and an oversold product.
describeWithRealServers('PlaceOrder under concurrent requests (MySQL, real server)', () => {
  placeOrderConcurrencyTests({
    open: async () => {
      const database = await createScratchDatabase();
      return { environment: { DB_DRIVER: 'mysql', DATABASE_URL: database.url }, drop: database.drop };
    },
  });
});
