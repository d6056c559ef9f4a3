import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { Migration20261121000000InitialSchema as MySqlInitialSchema } from './migrations/mysql/Migration20261121000000InitialSchema.js';
import { Migration20261121120000ProductSales as MySqlProductSales } from './migrations/mysql/Migration20261121120000ProductSales.js';
import { Migration20261122090000OutboxAndProcessedEvents as MySqlOutboxAndProcessedEvents } from './migrations/mysql/Migration20261122090000OutboxAndProcessedEvents.js';
import { Migration20261130000000CouponCampaigns as MySqlCouponCampaigns } from './migrations/mysql/Migration20261130000000CouponCampaigns.js';
import { Migration20261201000000OutboxTraceContext as MySqlOutboxTraceContext } from './migrations/mysql/Migration20261201000000OutboxTraceContext.js';
import { Migration20261121000000InitialSchema as SqliteInitialSchema } from './migrations/sqlite/Migration20261121000000InitialSchema.js';
import { Migration20261121120000ProductSales as SqliteProductSales } from './migrations/sqlite/Migration20261121120000ProductSales.js';
import { Migration20261122090000OutboxAndProcessedEvents as SqliteOutboxAndProcessedEvents } from './migrations/sqlite/Migration20261122090000OutboxAndProcessedEvents.js';
import { Migration20261130000000CouponCampaigns as SqliteCouponCampaigns } from './migrations/sqlite/Migration20261130000000CouponCampaigns.js';
import { Migration20261201000000OutboxTraceContext as SqliteOutboxTraceContext } from './migrations/sqlite/Migration20261201000000OutboxTraceContext.js';
import { StartupError, withoutPassword } from '../../startup-error.js';
import { persistenceSchema } from './schema.js';

export type DatabaseConfig =
  | { readonly driver: 'sqlite'; readonly sqliteFile: string }
  | { readonly driver: 'mysql'; readonly url: string };

// One list per SQL dialect, in order. Listed explicitly (no folder scanning), so the compiler checks them.
const migrationsByDriver = {
  sqlite: [
    SqliteInitialSchema,
    SqliteProductSales,
    SqliteOutboxAndProcessedEvents,
    SqliteCouponCampaigns,
    SqliteOutboxTraceContext,
  ],
  mysql: [
    MySqlInitialSchema,
    MySqlProductSales,
    MySqlOutboxAndProcessedEvents,
    MySqlCouponCampaigns,
    MySqlOutboxTraceContext,
  ],
} as const;

/** The connection to the database, and the one place that knows which driver is behind it. */
export class Database {
  constructor(
    readonly orm: MikroORM,
    readonly driver: DatabaseConfig['driver'],
  ) {}

  /**
   * Connects and applies pending migrations, so the schema is always the one this code expects. Operator
   * commands that only read or fix rows pass `applyMigrations: false`: they must never change a schema.
   */
  static async open(
    config: DatabaseConfig,
    { applyMigrations = true }: { applyMigrations?: boolean } = {},
  ): Promise<{ database: Database; appliedMigrations: string[] }> {
    if (config.driver === 'sqlite' && config.sqliteFile !== ':memory:') prepareSqliteFile(config.sqliteFile);
    let orm: MikroORM | undefined;
    try {
      orm = await connect(config);
      if (!applyMigrations && (await orm.migrator.getPending()).length > 0) {
        throw new StartupError(
          'The database is behind this version of the code: start the service once (npm start, with the ' +
            'same DB_DRIVER and DATABASE_URL) to apply its migrations.',
        );
      }
      const applied = applyMigrations ? await orm.migrator.up() : [];
      return {
        database: new Database(orm, config.driver),
        appliedMigrations: applied.map((migration) => migration.name),
      };
    } catch (error) {
      await orm?.close();
      throw explainOpenFailure(error, config);
    }
  }

  /**
   * The EntityManager for the current unit of work: inside `TransactionManager.run()` the transaction's
   * own; outside, a fresh fork, so a read never sees rows another request cached in a shared identity map.
   */
  em(): SqlEntityManager {
    const root = this.orm.em as SqlEntityManager;
    const contextual = root.getContext(false);
    return contextual === root ? root.fork() : contextual;
  }

  /**
   * In an upsert's update part, the value the insert proposed for `column`: `values(column)` on MySQL,
   * `excluded.column` on SQLite (as MikroORM writes them itself).
   */
  proposedValue(column: string): string {
    return this.driver === 'mysql' ? `values(${column})` : `excluded.${column}`;
  }

  async isReachable(): Promise<{ ok: boolean; reason?: string }> {
    const connection = await this.orm.checkConnection();
    return connection.ok ? { ok: true } : { ok: false, reason: connection.reason };
  }

  async close(): Promise<void> {
    await this.orm.close();
  }
}

function prepareSqliteFile(sqliteFile: string): void {
  if (existsSync(sqliteFile) && statSync(sqliteFile).isDirectory()) {
    throw new StartupError(
      `SQLITE_FILE=${sqliteFile} is a folder, not a file: point SQLITE_FILE at a file (it is created if missing).`,
    );
  }
  mkdirSync(dirname(sqliteFile), { recursive: true });
}

function connect(config: DatabaseConfig): Promise<MikroORM> {
  const common = {
    entities: persistenceSchema,
    extensions: [Migrator],
    migrations: { migrationsList: [...migrationsByDriver[config.driver]], snapshot: false, silent: true },
  };
  return config.driver === 'sqlite'
    ? MikroORM.init({ ...common, driver: SqliteDriver, dbName: config.sqliteFile })
    : MikroORM.init({ ...common, driver: MySqlDriver, clientUrl: config.url, timezone: '+00:00' });
}

const unreachableServer = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * A failure to open the database as a StartupError that names the setting to fix, when it is one. A server
 * that does not answer, or a file that is not SQLite, shows only at the first statement, not at connect.
 */
function explainOpenFailure(error: unknown, config: DatabaseConfig): unknown {
  const code = (error as { code?: unknown }).code;
  if (config.driver === 'mysql' && typeof code === 'string' && unreachableServer.has(code)) {
    return new StartupError(
      `MySQL did not answer at ${withoutPassword(config.url)}. Start one (npm run services:start mysql, ` +
        'or docker compose up -d), or set DATABASE_URL to one that runs.',
      { cause: error },
    );
  }
  if (config.driver === 'sqlite' && code === 'SQLITE_NOTADB') {
    return new StartupError(
      `SQLITE_FILE=${config.sqliteFile} is not a SQLite database: point SQLITE_FILE at a new file, or at ` +
        "this service's database.",
      { cause: error },
    );
  }
  if (config.driver === 'sqlite' && code === 'SQLITE_CANTOPEN') {
    return new StartupError(
      `SQLITE_FILE=${config.sqliteFile} cannot be opened: check that this user may read and write the file ` +
        'and its folder.',
      { cause: error },
    );
  }
  return error;
}
