import { loadConfig } from '../../src/infrastructure/config/config.js';
import { OrderService } from '../../src/infrastructure/di/order-service.js';
import { InMemoryGlobalEventPublisher } from '../../src/infrastructure/messaging/in-memory/in-memory-global-event-publisher.js';
import { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import {
  CouponRow,
  OrderItemRow,
  OrderRow,
  ProductRow,
  UserRow,
} from '../../src/infrastructure/persistence/mikro-orm/schema.js';
import { insertRows, temporaryFolder, type SeedRows } from './test-database.js';

export interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

/**
 * The whole service, assembled by the real composition root, on a fresh SQLite file with demo data
 * (or on whatever `environment` says, e.g. DB_DRIVER=mysql and EVENT_PUBLISHER=kafka).
 */
export async function startTestService(environment: NodeJS.ProcessEnv = {}) {
  const folder = temporaryFolder();
  const logs: LogLine[] = [];
  const config = loadConfig({
    SQLITE_FILE: folder.path('orders.sqlite'),
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    ...environment,
  });
  const service = await OrderService.start(config, {
    logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  });
  const database = service.container.get(Database);
  return {
    service,
    http: service.http,
    logs,
    /** The in-memory bus, when EVENT_PUBLISHER is in-memory (the default). */
    get publisher() {
      return service.container.get(InMemoryGlobalEventPublisher);
    },
    /** Inserts rows of its own, for a test that needs a catalogue other than the demo data. */
    insert: (rows: SeedRows) => insertRows(database, rows),
    /** Everything a request could have written, to compare before and after. */
    snapshot: async () => {
      const em = database.em();
      return {
        orders: await em.count(OrderRow),
        orderItems: await em.count(OrderItemRow),
        stock: (await em.find(ProductRow, {}, { orderBy: { id: 'asc' } })).map((row) => row.stock),
        points: (await em.find(UserRow, {}, { orderBy: { id: 'asc' } })).map((row) => row.points),
        usedCoupons: await em.count(CouponRow, { usedAt: { $ne: null } }),
      };
    },
    /** Stops the service (unless the test already did) and removes its files. */
    stop: async () => {
      await service.stop();
      folder.remove();
    },
  };
}

export type TestService = Awaited<ReturnType<typeof startTestService>>;
