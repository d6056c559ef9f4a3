import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

describeWithRealServers('MySQL migrations (real server)', () => {
  let database: Database;
  let appliedMigrations: string[];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    ({ database, appliedMigrations } = await Database.open({ driver: 'mysql', url: scratch.url }));
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('apply in order on an empty database', () => {
    expect(appliedMigrations).toEqual([
      'Migration20261121000000InitialSchema',
      'Migration20261121120000ProductSales',
      'Migration20261122090000OutboxAndProcessedEvents',
      'Migration20261130000000CouponCampaigns',
      'Migration20261201000000OutboxTraceContext',
    ]);
  });

  it('build exactly the schema the mappings describe', async () => {
    const pendingChanges = await database.orm.schema.getUpdateSchemaSQL({ wrap: false });

    expect(pendingChanges.trim()).toBe('');
  });
});
