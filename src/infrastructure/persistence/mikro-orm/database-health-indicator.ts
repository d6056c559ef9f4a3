import { inject, injectable } from 'inversify';
import { HealthIndicator, type ComponentHealth } from '../../../application/health/health-indicator.js';
import { Database } from './database.js';

@injectable()
export class DatabaseHealthIndicator extends HealthIndicator {
  readonly component = 'database';

  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async check(): Promise<ComponentHealth> {
    const { ok, reason } = await this.database.isReachable();
    const details = { driver: this.database.driver, ...(reason === undefined ? {} : { error: reason }) };
    return { status: ok ? 'UP' : 'DOWN', details };
  }
}
