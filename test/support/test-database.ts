import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';

/** A migrated SQLite database in a fresh temporary file. */
export async function openTestDatabase(): Promise<{ database: Database; remove: () => Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'order-service-db-'));
  const { database } = await Database.open({ driver: 'sqlite', sqliteFile: join(directory, 'test.sqlite') });
  return {
    database,
    remove: async () => {
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
