import { afterAll, beforeAll } from '@jest/globals';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { itBehavesLikeAProductSalesRanking } from '../../support/contracts/product-sales-ranking-contract.js';
import { emptyTableRankingOn } from '../../support/product-sales-ranking-on.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

describeWithRealServers(
  'MikroOrmProductSalesRanking on MySQL (real server), held to the ProductSalesRanking contract',
  () => {
    let database: Database;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const scratch = await createScratchDatabase();
      drop = scratch.drop;
      ({ database } = await Database.open({ driver: 'mysql', url: scratch.url }));
    });
    afterAll(async () => {
      await database.close();
      await drop();
    });

    itBehavesLikeAProductSalesRanking(() => emptyTableRankingOn(database));
  },
);
