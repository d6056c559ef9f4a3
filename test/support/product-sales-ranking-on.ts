import type { ProductSalesRanking } from '../../src/application/product/ranking/product-sales-ranking.js';
import type { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmProcessedEvents } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductSalesRanking } from '../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { ProcessedEventRow, ProductSalesRow } from '../../src/infrastructure/persistence/mikro-orm/schema.js';
import { SystemClock } from '../../src/infrastructure/time/system-clock.js';
import { RecordingLogger } from './fakes/recording-logger.js';

/** The table adapter on `database` (SQLite or MySQL), its tables emptied first. */
export async function emptyTableRankingOn(database: Database): Promise<ProductSalesRanking> {
  const em = database.em().fork();
  await em.nativeDelete(ProductSalesRow, {});
  await em.nativeDelete(ProcessedEventRow, {});
  return new MikroOrmProductSalesRanking(
    database,
    new MikroOrmTransactionManager(database, new RecordingLogger()),
    new MikroOrmProcessedEvents(database, new SystemClock()),
  );
}
