import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { OutboundMessage } from '../../../src/domain/shared/global-event-publisher.js';
import { OutboxGlobalEventPublisher } from '../../../src/infrastructure/messaging/outbox/outbox-global-event-publisher.js';
import { OutboxRelayNudge } from '../../../src/infrastructure/messaging/outbox/outbox-relay-nudge.js';
import { OutboxStore } from '../../../src/infrastructure/messaging/outbox/outbox-store.js';
import { registerOutboxBacklogMetrics } from '../../../src/infrastructure/observability/metrics/outbox-backlog-metrics.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { OutboxEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { metricValue } from '../../support/metric-values.js';
import { openTestDatabase } from '../../support/test-database.js';

const message = (eventId: string): OutboundMessage => ({
  topic: 'outside.order.completed.v1',
  key: `order-${eventId}`,
  payload: {},
  eventId,
  aggregateType: 'order',
  aggregateId: `order-${eventId}`,
});

describe('the outbox gauges, read from the table at scrape time (SQLite)', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let registry: Registry;
  let logger: RecordingLogger;
  let write: (eventId: string, at: Date) => Promise<void>;
  const scrapeTime = new Date('2026-11-21T09:01:30.000Z');

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    logger = new RecordingLogger();
    const transactions = new MikroOrmTransactionManager(database, logger);
    const store = new OutboxStore(database);
    write = (eventId, at) =>
      transactions.run(() =>
        new OutboxGlobalEventPublisher(
          store,
          new FixedClock(at),
          logger,
          transactions,
          new OutboxRelayNudge(),
        ).publish(message(eventId)),
      );
    registry = new Registry();
    registerOutboxBacklogMetrics(registry, store, new FixedClock(scrapeTime), logger);
  });
  afterEach(() => remove());

  it('reports the unsent rows, the age of the oldest, and the failed ones', async () => {
    await write('e1', new Date('2026-11-21T09:00:00.000Z'));
    await write('e2', new Date('2026-11-21T09:01:00.000Z'));
    await write('e3', new Date('2026-11-21T09:01:10.000Z'));
    await database.em().nativeUpdate(OutboxEventRow, { eventId: 'e3' }, { status: 'FAILED' });

    expect(await metricValue(registry, 'outbox_pending_rows')).toBe(2);
    expect(await metricValue(registry, 'outbox_oldest_pending_age_seconds')).toBe(90);
    expect(await metricValue(registry, 'outbox_failed_rows')).toBe(1);
  });

  it('reports an empty outbox as 0 pending rows of age 0', async () => {
    await write('e1', new Date('2026-11-21T09:00:00.000Z'));
    await database.em().nativeUpdate(OutboxEventRow, { eventId: 'e1' }, { status: 'SENT' });

    expect(await metricValue(registry, 'outbox_pending_rows')).toBe(0);
    expect(await metricValue(registry, 'outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('reads NaN, logs, and still answers the scrape when the database does not', async () => {
    class UnreachableOutboxStore extends OutboxStore {
      override async backlog(): Promise<never> {
        throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
      }
    }
    const failing = new Registry();
    registerOutboxBacklogMetrics(
      failing,
      new UnreachableOutboxStore(database),
      new FixedClock(scrapeTime),
      logger,
    );

    const text = await failing.metrics();

    // prom-client writes NaN as `Nan`; Prometheus reads it either way.

    expect(text).toMatch(/^outbox_pending_rows nan$/im);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds nan$/im);
    expect(text).toMatch(/^outbox_failed_rows nan$/im);
    expect(logger.messages('warn')).toEqual([
      'metrics: could not read the outbox backlog; its gauges read NaN',
    ]);
  });
});
