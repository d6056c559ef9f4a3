// A KafkaListenerContainer of the built service (dist/, `buildApp()` first) alone in a process, for the
// tests that SIGKILL a consumer mid-batch: a kill ends a process, not a Jest worker.
//
// Its handler appends each record's offset to HANDLED_FILE (appendFileSync: once written, the line
// survives the kill, as a row committed to a database would), then returns; at STALL_AT_OFFSET it appends
// and never returns, so the test can kill it at the worst moment, the record's effect done and its offset
// not yet committed. Warnings and errors go to stderr, for the test's failure messages.
import { appendFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { AckMode } from '../../../dist/infrastructure/messaging/kafka/ack-mode.js';
import { KafkaClient } from '../../../dist/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaListenerContainer } from '../../../dist/infrastructure/messaging/kafka/kafka-listener-container.js';
import { RetryPolicy } from '../../../dist/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../dist/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../dist/infrastructure/observability/metrics/consumer-metrics.js';

const { KAFKA_BROKERS, TOPIC, GROUP_ID, ACK_MODE, HANDLED_FILE, STALL_AT_OFFSET } = process.env;

const toStderr = (level) => (fields, message) =>
  process.stderr.write(`${level} ${message} ${JSON.stringify(fields, errorsAsText)}\n`);
const logger = { debug() {}, info() {}, warn: toStderr('warn'), error: toStderr('error') };

const client = new KafkaClient(
  {
    brokers: KAFKA_BROKERS.split(','),
    clientId: 'killed-mid-batch',
    replicationFactor: 1,
    // The broker's minimum: the group gives up on the killed member, and moves its partition, soonest.
    sessionTimeoutMs: 6_000,
  },
  logger,
);
const listener = {
  topic: TOPIC,
  groupId: GROUP_ID,
  async handle({ offset }) {
    appendFileSync(HANDLED_FILE, `${offset}\n`);
    if (offset === STALL_AT_OFFSET) await new Promise(() => {});
  },
};
const container = new KafkaListenerContainer(
  listener,
  client,
  new RetryPolicy(1, 0, 0),
  logger,
  new AsyncLocalStorageRequestContext(),
  new ConsumerMetrics(new Registry()),
  ackModeOf(ACK_MODE),
);
// The test holds this process's stdin open: if the test's process ends, however it ends, so does this one,
// rather than stay in the group holding the partition.
process.stdin.on('end', () => process.exit(1)).resume();
await client.connect();
await container.start();

function ackModeOf(name) {
  if (!Object.values(AckMode).includes(name)) {
    throw new Error(`ACK_MODE must be one of ${Object.values(AckMode).join(', ')}, not ${name}`);
  }
  return name;
}

function errorsAsText(_key, value) {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
