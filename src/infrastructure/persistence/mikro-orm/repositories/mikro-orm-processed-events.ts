import { inject, injectable } from 'inversify';
import {
  EventsRecordedMeanwhile,
  ProcessedEvents,
} from '../../../../application/shared/messaging/processed-events.js';
import { Clock } from '../../../../application/shared/clock.js';
import { Database } from '../database.js';
import { ProcessedEventRow } from '../schema.js';

@injectable()
export class MikroOrmProcessedEvents extends ProcessedEvents {
  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async recordFirstDeliveries(
    consumerGroup: string,
    eventIds: readonly string[],
  ): Promise<ReadonlySet<string>> {
    const em = this.database.em();
    // For one id the insert's row count says it all; for several, it could not say which rows were new.
    const seen = eventIds.length > 1 ? await this.recordedBefore(consumerGroup, eventIds) : new Set();
    // Sorted, so that two transactions inserting some of the same ids lock them in the same order.
    const firstDeliveries = [...new Set(eventIds)].filter((eventId) => !seen.has(eventId)).sort();
    if (firstDeliveries.length === 0) return new Set();

    // INSERT IGNORE (MySQL) / INSERT … ON CONFLICT DO NOTHING (SQLite), all rows in one statement: a row
    // another transaction inserted since the read above is skipped, and the primary key makes an insert
    // still in flight elsewhere wait for it to finish.
    const processedAt = this.clock.now();
    const { affectedRows } = await em
      .createQueryBuilder(ProcessedEventRow)
      .insert(firstDeliveries.map((eventId) => ({ consumerGroup, eventId, processedAt })))
      .onConflict(['consumerGroup', 'eventId'])
      .ignore()
      .execute<{ affectedRows: number }>('run');
    if (affectedRows === firstDeliveries.length) return new Set(firstDeliveries);
    if (affectedRows === 0) return new Set();
    // Some rows are ours and some another transaction's, and the count does not say which.
    throw new EventsRecordedMeanwhile(consumerGroup, firstDeliveries.length - affectedRows);
  }

  private async recordedBefore(consumerGroup: string, eventIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.database
      .em()
      .createQueryBuilder(ProcessedEventRow)
      .select('eventId')
      .where({ consumerGroup, eventId: { $in: [...eventIds] } })
      .execute<{ eventId: string }[]>('all');
    return new Set(rows.map((row) => row.eventId));
  }
}
