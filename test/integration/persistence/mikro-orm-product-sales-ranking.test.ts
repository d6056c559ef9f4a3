import { afterAll, beforeAll, describe } from '@jest/globals';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { itBehavesLikeAProductSalesRanking } from '../../support/contracts/product-sales-ranking-contract.js';
import { emptyTableRankingOn } from '../../support/product-sales-ranking-on.js';
import { openTestDatabase } from '../../support/test-database.js';

describe('MikroOrmProductSalesRanking on SQLite, held to the ProductSalesRanking contract', () => {
  let database: Database;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    ({ database, remove } = await openTestDatabase());
  });
  afterAll(() => remove());

  itBehavesLikeAProductSalesRanking(() => emptyTableRankingOn(database));
});
