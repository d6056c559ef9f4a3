import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../../application/shared/clock.js';
import type { Logger } from '../../../application/shared/logger.js';
import type { OutboxBacklog, OutboxStore } from '../../messaging/outbox/outbox-store.js';
import { readAtMostEvery } from './read-at-most-every.js';

/**
 * The outbox's backlog, read from its table when Prometheus scrapes (EVENT_PUBLISHER=outbox only): one
 * query for the three gauges of a scrape. If the database does not answer, the gauges read NaN (unknown)
 * and the scrape still succeeds.
 */
export function registerOutboxBacklogMetrics(
  registry: Registry,
  store: OutboxStore,
  clock: Clock,
  logger: Logger,
): void {
  const readBacklog = readAtMostEvery(0, async (): Promise<OutboxBacklog | undefined> => {
    try {
      return await store.backlog();
    } catch (error) {
      logger.warn({ err: error }, 'metrics: could not read the outbox backlog; its gauges read NaN');
      return undefined;
    }
  });
  const gauge = (name: string, help: string, valueOf: (backlog: OutboxBacklog) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const backlog = await readBacklog();
        this.set(backlog === undefined ? Number.NaN : valueOf(backlog));
      },
    });

  gauge(
    'outbox_pending_rows',
    'Outbox rows not sent yet: waiting (backoffs included) or claimed by a relay.',
    ({ pending, sending }) => pending + sending,
  );
  gauge(
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest unsent outbox row; 0 when none waits.',
    ({ oldestUnsentAt }) =>
      oldestUnsentAt === undefined
        ? 0
        : Math.max(0, (clock.now().getTime() - oldestUnsentAt.getTime()) / 1000),
  );
  gauge(
    'outbox_failed_rows',
    'Outbox rows out of attempts (FAILED); `npm run outbox -- resubmit` sends them again.',
    ({ failed }) => failed,
  );
}
