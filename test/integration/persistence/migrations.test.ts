import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { openTestDatabase } from '../../support/test-database.js';

const migrationsRoot = join(
  import.meta.dirname,
  '../../../src/infrastructure/persistence/mikro-orm/migrations',
);

describe('migrations', () => {
  let database: Database;
  let remove: () => Promise<void>;
  beforeAll(async () => ({ database, remove } = await openTestDatabase()));
  afterAll(() => remove());

  it('build exactly the schema the mappings describe', async () => {
    const pendingChanges = await database.orm.schema.getUpdateSchemaSQL({ wrap: false });

    expect(pendingChanges.trim()).toBe('');
  });

  it('have the same steps for every SQL dialect', () => {
    const steps = (dialect: string) => readdirSync(join(migrationsRoot, dialect)).sort();

    expect(steps('mysql')).toEqual(steps('sqlite'));
  });
});
