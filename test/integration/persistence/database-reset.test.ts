import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Database, type DatabaseConfig } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { resetDatabase } from '../../../src/infrastructure/persistence/mikro-orm/database-admin.js';
import {
  demoCouponCampaigns,
  demoCoupons,
  demoProducts,
  demoUsers,
  seedDemoData,
} from '../../../src/infrastructure/persistence/mikro-orm/demo-data.js';
import {
  CouponCampaignRow,
  CouponRow,
  ProductRow,
  ProductSalesRow,
  UserRow,
} from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { temporaryFolder, type TemporaryFolder } from '../../support/test-database.js';

describe('resetDatabase on SQLite (npm run db:reset)', () => {
  let folder: TemporaryFolder;
  let config: DatabaseConfig;
  beforeEach(() => {
    folder = temporaryFolder();
    config = { driver: 'sqlite', sqliteFile: folder.path('orders.sqlite') };
  });
  afterEach(() => folder.remove());

  async function withDatabase<T>(use: (database: Database) => Promise<T>): Promise<T> {
    const { database } = await Database.open(config);
    try {
      return await use(database);
    } finally {
      await database.close();
    }
  }

  it('brings back the demo data a learner used up, and forgets what was sold', async () => {
    await withDatabase(async (database) => {
      await seedDemoData(database);
      const em = database.em();
      await em.nativeUpdate(UserRow, { id: 1 }, { points: 0 });
      await em.nativeUpdate(ProductRow, { id: 1 }, { stock: 0 });
      await em.nativeUpdate(CouponRow, { id: 2 }, { usedAt: new Date() });
      await em.nativeUpdate(CouponCampaignRow, { id: 3 }, { issuedCount: 10 });
      await em.insert(ProductSalesRow, { productId: 1, productName: 'Mechanical Keyboard', unitsSold: 7 });
    });

    const report = await resetDatabase(config, { confirmed: false });

    expect(report.database).toBe(`SQLite file ${folder.path('orders.sqlite')}`);
    expect(report.appliedMigrations).toHaveLength(5);
    expect(report.seeded).toBe('products 1-6, users 1-1000, coupons 1-4, coupon campaigns 1-4');
    await withDatabase(async (database) => {
      const em = database.em();
      expect((await em.findAll(UserRow, { orderBy: { id: 'asc' } })).map(({ points }) => points)).toEqual(
        demoUsers.map(({ points }) => points),
      );
      expect((await em.findAll(ProductRow, { orderBy: { id: 'asc' } })).map(({ stock }) => stock)).toEqual(
        demoProducts.map(({ stock }) => stock),
      );
      expect((await em.findAll(CouponRow)).map(({ usedAt }) => usedAt)).toEqual(demoCoupons.map(() => null));
      expect(await em.count(ProductSalesRow)).toBe(0);
      expect(
        (await em.findAll(CouponCampaignRow, { orderBy: { id: 'asc' } })).map(
          ({ issuedCount }) => issuedCount,
        ),
      ).toEqual(demoCouponCampaigns.map(() => 0));
    });
  });

  it('sets up a database that does not exist yet', async () => {
    const report = await resetDatabase(config, { confirmed: false });

    expect(report.appliedMigrations).toHaveLength(5);
    await withDatabase(async (database) => expect(await database.em().count(ProductRow)).toBe(6));
  });
});
