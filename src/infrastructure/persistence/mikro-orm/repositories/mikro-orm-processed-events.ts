import { inject, injectable } from 'inversify';
import { ProcessedEvents } from '../../../../application/shared/messaging/processed-events.js';
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

  async recordFirstDelivery(consumerGroup: string, eventId: string): Promise<boolean> {
    // INSERT IGNORE (MySQL) / INSERT … ON CONFLICT DO NOTHING (SQLite): a row already there means the
    // event was applied; the primary key makes a concurrent second insert wait for the first to finish.
    const result = await this.database
      .em()
      .createQueryBuilder(ProcessedEventRow)
      .insert({ consumerGroup, eventId, processedAt: this.clock.now() })
      .onConflict(['consumerGroup', 'eventId'])
      .ignore()
      .execute<{ affectedRows: number }>('run');
    return result.affectedRows === 1;
  }
}
