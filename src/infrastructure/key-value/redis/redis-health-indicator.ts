import { inject, injectable } from 'inversify';
import { HealthIndicator, type ComponentHealth } from '../../../application/health/health-indicator.js';
import { withoutPassword } from '../../startup-error.js';
import { RedisClient } from './redis-client.js';

@injectable()
export class RedisHealthIndicator extends HealthIndicator {
  readonly component = 'redis';

  constructor(@inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async check(): Promise<ComponentHealth> {
    const details = { url: withoutPassword(this.redis.config.url) };
    // While it reconnects, node-redis queues commands instead of failing them: a PING would only hang.
    if (!this.redis.isReady) return { status: 'DOWN', details: { ...details, error: 'not connected' } };
    try {
      return { status: 'UP', details: { ...details, pingMs: await this.redis.ping() } };
    } catch (error) {
      return { status: 'DOWN', details: { ...details, error: (error as Error).message } };
    }
  }
}
