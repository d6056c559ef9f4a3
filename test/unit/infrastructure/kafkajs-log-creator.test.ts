import { describe, expect, it } from '@jest/globals';
import { logLevel } from 'kafkajs';
import { kafkaJsLogCreator } from '../../../src/infrastructure/messaging/kafka/kafkajs-log-creator.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

/** What kafkajs hands a log creator's function, for one line. */
function logThroughKafkajs(level: logLevel, message: string, details: Record<string, unknown> = {}) {
  const logger = new RecordingLogger();
  const log = kafkaJsLogCreator(logger)(logLevel.DEBUG);
  log({
    namespace: 'Connection',
    level,
    label: 'ERROR',
    log: { message, timestamp: '2026-11-29T00:00:00.000Z', logger: 'kafkajs', ...details },
  });
  return logger.entries;
}

describe('kafkaJsLogCreator', () => {
  it.each([
    "The coordinator is loading and hence can't process requests for this group",
    'The group coordinator is not available',
    'This is not the correct coordinator for this group',
    'There is no leader for this topic-partition as we are in the middle of a leadership election',
    'This server does not host this topic-partition',
  ])('logs the transient answer "%s" at warn: kafkajs retries it', (error) => {
    const entries = logThroughKafkajs(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', {
      error,
    });

    expect(entries).toEqual([
      {
        level: 'warn',
        message: 'Response GroupCoordinator(key: 10, version: 2)',
        fields: { kafkajs: 'Connection', error },
      },
    ]);
  });

  it('keeps a real failure at error', () => {
    const entries = logThroughKafkajs(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', {
      error: 'Topic authorization failed',
    });

    expect(entries.map((entry) => entry.level)).toEqual(['error']);
  });

  it('keeps a connection failure at error', () => {
    const entries = logThroughKafkajs(
      logLevel.ERROR,
      'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    );

    expect(entries.map((entry) => entry.level)).toEqual(['error']);
  });

  it('sends a heartbeat answered "rebalancing" to debug: the listener container logs the rebalance', () => {
    const entries = logThroughKafkajs(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', {
      error: 'The group is rebalancing, so a rejoin is needed',
    });

    expect(entries.map((entry) => entry.level)).toEqual(['debug']);
  });

  it("drops kafkajs's INFO lines to debug, and its expected start-up warning too", () => {
    expect(logThroughKafkajs(logLevel.INFO, 'Starting').map((entry) => entry.level)).toEqual(['debug']);
    expect(
      logThroughKafkajs(
        logLevel.WARN,
        'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      ).map((entry) => entry.level),
    ).toEqual(['debug']);
    expect(logThroughKafkajs(logLevel.WARN, 'Something else').map((entry) => entry.level)).toEqual(['warn']);
  });
});
