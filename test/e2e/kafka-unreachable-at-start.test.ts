import { describe, expect, it } from '@jest/globals';
import { StartupError } from '../../src/infrastructure/startup-error.js';
import { startTestService } from '../support/test-service.js';

// No broker needed: this is what a learner sees who picks EVENT_PUBLISHER=kafka before starting one.
describe('EVENT_PUBLISHER=kafka with no broker running', () => {
  it('refuses to start, and says how to start a broker', async () => {
    const starting = startTestService({ EVENT_PUBLISHER: 'kafka', KAFKA_BROKERS: 'localhost:1' });

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      'Kafka did not answer at localhost:1. Start a broker (npm run services:start kafka, or docker compose up -d)',
    );
  }, 30_000);
});
