import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { redisUrl, useServicesEnv, withoutPassword } from '../../scripts/support/services-env.mjs';

// `npm run smoke` needs only `npm run services:start`: what it wrote down fills in what the environment
// lacks, and reaches the processes it starts through process.env. (The bench's own: bench-services.test.ts.)
describe('useServicesEnv', () => {
  const saved = {
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'],
    DATABASE_URL: process.env['DATABASE_URL'],
    REDIS_URL: process.env['REDIS_URL'],
  };
  beforeEach(() => {
    delete process.env['KAFKA_BROKERS'];
    delete process.env['DATABASE_URL'];
    delete process.env['REDIS_URL'];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('takes every server from services.env when the environment has none', () => {
    const missing = useServicesEnv({
      KAFKA_BROKERS: 'localhost:9092',
      DATABASE_URL: 'mysql://o:p@h:3306/d',
      REDIS_URL: 'redis://localhost:6379',
    });

    expect(missing).toEqual([]);
    expect(process.env['KAFKA_BROKERS']).toBe('localhost:9092');
    expect(process.env['DATABASE_URL']).toBe('mysql://o:p@h:3306/d');
    expect(process.env['REDIS_URL']).toBe('redis://localhost:6379');
    expect(redisUrl()).toBe('redis://localhost:6379');
  });

  it('keeps what the environment says, and names what neither place has', () => {
    process.env['KAFKA_BROKERS'] = 'broker:1';

    const missing = useServicesEnv({ KAFKA_BROKERS: 'localhost:9092' });

    expect(missing).toEqual(['DATABASE_URL', 'REDIS_URL']);
    expect(process.env['KAFKA_BROKERS']).toBe('broker:1');
    expect(process.env['DATABASE_URL']).toBeUndefined();
  });
});

describe('withoutPassword', () => {
  it('masks the password of a URL and leaves the rest as it was', () => {
    expect(withoutPassword('mysql://orders:s3cret@127.0.0.1:3306/orders')).toBe(
      'mysql://orders:***@127.0.0.1:3306/orders',
    );
    expect(withoutPassword('mysql://127.0.0.1:3306/orders')).toBe('mysql://127.0.0.1:3306/orders');
  });
});
