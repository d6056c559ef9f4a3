// The order service itself, for the demos that follow an order through it: started by the tooling's one
// launcher (scripts/support/app-process.mjs) on a scratch SQLite file, so every run starts from the demo
// data, with its JSON log lines collected for the demo to show.
import { startAppProcess } from '../../scripts/support/app-process.mjs';
import { scratchSqliteFile } from '../../scripts/support/scratch-database.mjs';

export { buildApp } from '../../scripts/support/app-process.mjs';
export {
  APP_GROUPS,
  ORDER_TOPIC,
  skipOldOrderEvents,
  skipOldRecords,
} from '../../scripts/support/order-topic.mjs';
export { couponOrder } from '../../scripts/support/demo-orders.mjs';

/** The scratch SQLite file of the app started as `name`, for a demo that reads its tables itself. */
export function scratchDatabaseFile(name) {
  return scratchSqliteFile(name, { keep: true });
}

/**
 * Starts the built app with `environment`, on its scratch database var/demos/<name>.sqlite (emptied
 * first unless `keepDatabase`), and resolves once it answers.
 */
export function startOrderService(name, environment = {}, { keepDatabase = false } = {}) {
  return startAppProcess({
    environment: {
      DB_DRIVER: 'sqlite',
      SQLITE_FILE: scratchSqliteFile(name, { keep: keepDatabase }),
      ...environment,
    },
  });
}
