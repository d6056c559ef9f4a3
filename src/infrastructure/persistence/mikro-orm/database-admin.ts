import { isAbsolute, relative } from 'node:path';
import { StartupError } from '../../startup-error.js';
import { Database, type DatabaseConfig } from './database.js';
import { demoDataSummary, seedDemoData } from './demo-data.js';

/** Which database a command works on, for its output: the driver and the file, or the URL without its password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.driver === 'sqlite') return `SQLite file ${shortPath(config.sqliteFile)}`;
  const url = new URL(config.url);
  url.password = '';
  return `MySQL database ${url.toString()}`;
}

/** A file inside the current folder by its relative path, as a learner would type it. */
function shortPath(file: string): string {
  const fromHere = relative(process.cwd(), file);
  return isAbsolute(file) && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : file;
}

export interface ResetReport {
  readonly database: string;
  readonly appliedMigrations: string[];
  readonly seeded: string;
}

/**
 * Starts the database over: drops the service's tables (and the record of its migrations), applies the
 * migrations again and seeds the demo data. A MySQL database may be shared or hold data someone wants,
 * so it is reset only when `confirmed`; a SQLite file is the learner's own.
 */
export async function resetDatabase(
  config: DatabaseConfig,
  { confirmed }: { confirmed: boolean },
): Promise<ResetReport> {
  const described = describeDatabase(config);
  if (config.driver === 'mysql' && !confirmed) {
    throw new StartupError(
      `This drops every table of the order service in ${described}: its orders, outbox and processed ` +
        'events go, and the demo data comes back. If that is your own database, run again with --yes:\n' +
        '  npm run db:reset -- --yes',
    );
  }
  const { database: old } = await Database.open(config);
  try {
    await old.orm.schema.drop({ dropMigrationsTable: true });
  } finally {
    await old.close();
  }
  // A fresh connection: the old one's migrator still believes its bookkeeping table exists.
  const { database, appliedMigrations } = await Database.open(config);
  try {
    await seedDemoData(database);
  } finally {
    await database.close();
  }
  return {
    database: described,
    appliedMigrations,
    seeded: demoDataSummary,
  };
}
