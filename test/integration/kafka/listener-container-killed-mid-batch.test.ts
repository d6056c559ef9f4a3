import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { buildApp } from '../../../scripts/support/app-process.mjs';
import { committedOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { AckMode } from '../../../src/infrastructure/messaging/kafka/ack-mode.js';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaListenerContainer } from '../../../src/infrastructure/messaging/kafka/kafka-listener-container.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../src/infrastructure/observability/metrics/consumer-metrics.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import {
  createTestTopic,
  testKafka,
  testProducer,
  uniqueName,
} from '../../support/servers/kafka-test-kit.js';
import { describeWithRealServers, kafkaBrokers } from '../../support/servers/real-servers.js';

// A consumer SIGKILLed mid-batch, then a second member of its group takes the partition over. The killed
// one runs the built container in a process of its own (listener-container-process.mjs): its handler
// writes each offset to a file, and the kill lands just after the effect of offset 15, in the second of
// two batches (offsets 0–9, then 10–19), before the container has committed that record.
describeWithRealServers('KafkaListenerContainer SIGKILLed mid-batch (real broker)', () => {
  const firstBatch = range(0, 10);
  const secondBatch = range(10, 20);
  const killedAfterEffectOf = '15';
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let client: KafkaClient;
  let scratchFolder: string;
  const running: KafkaListenerContainer[] = [];
  const processes: ChildProcess[] = [];

  beforeAll(async () => {
    buildApp();
    scratchFolder = mkdtempSync(join(tmpdir(), 'killed-mid-batch-'));
    kafka = testKafka();
    admin = kafka.admin();
    producer = testProducer(kafka);
    client = new KafkaClient(
      {
        brokers: kafkaBrokers().split(','),
        clientId: 'takes-over',
        replicationFactor: 1,
        sessionTimeoutMs: 6_000,
      },
      new RecordingLogger(),
    );
    await Promise.all([admin.connect(), producer.connect(), client.connect()]);
  });
  afterEach(async () => {
    for (const child of processes.splice(0)) child.kill('SIGKILL');
    await Promise.all(running.splice(0).map((container) => container.stop()));
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect(), client.disconnect()]);
    rmSync(scratchFolder, { recursive: true, force: true });
  });

  /** The container of the built service, in a process of its own that the test can SIGKILL. */
  function startKillableConsumer(topic: string, groupId: string, ackMode: AckMode) {
    const handledFile = join(scratchFolder, `${groupId}.handled`);
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '../../support/servers/listener-container-process.mjs')],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: kafkaBrokers(),
          TOPIC: topic,
          GROUP_ID: groupId,
          ACK_MODE: ackMode,
          HANDLED_FILE: handledFile,
          STALL_AT_OFFSET: killedAfterEffectOf,
        },
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    processes.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const handled = (): string[] => {
      try {
        return readFileSync(handledFile, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    /** Fails at once, with its stderr, if the process died on its own. */
    const alive = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the consumer process exited (${child.signalCode ?? child.exitCode}):\n${stderr}`);
      }
    };
    return {
      handled,
      alive,
      async kill() {
        child.kill('SIGKILL');
        return exited;
      },
    };
  }

  async function startTakingOver(topic: string, groupId: string, handled: string[]) {
    const container = new KafkaListenerContainer(
      { topic, groupId, handle: async ({ offset }) => void handled.push(offset) },
      client,
      new RetryPolicy(1, 0, 0),
      new RecordingLogger(),
      new AsyncLocalStorageRequestContext(),
      new ConsumerMetrics(new Registry()),
    );
    await container.start();
    running.push(container);
  }

  const sendOneBatch = (topic: string, offsets: string[]) =>
    producer.send({
      topic,
      messages: offsets.map((offset) => ({ key: 'order-1', value: `record ${offset}` })),
    });

  /** The scenario in `ackMode`: what each member handled, what was committed at the kill, what came twice. */
  async function killMidBatch(ackMode: AckMode) {
    const topic = await createTestTopic(admin, `killed-mid-batch-${ackMode}`, 1);
    const groupId = uniqueName('group');
    const committed = async () => (await committedOffsets(admin, groupId, topic))[0];
    const killed = startKillableConsumer(topic, groupId, ackMode);

    await sendOneBatch(topic, firstBatch);
    await waitFor('the first batch to be handled and committed', async () => {
      killed.alive();
      return (await committed()) === 10;
    });
    await sendOneBatch(topic, secondBatch);
    await waitFor(`the effect of offset ${killedAfterEffectOf}`, () => {
      killed.alive();
      return killed.handled().includes(killedAfterEffectOf);
    });
    const committedAtKill = await committed();
    expect(await killed.kill()).toBe('SIGKILL');
    const handledByKilled = killed.handled();
    expect(await committed()).toBe(committedAtKill);

    const handledByNext: string[] = [];
    await startTakingOver(topic, groupId, handledByNext);
    // Once it has joined, it reads from the committed offset: when that reaches the end, it is done.
    await waitFor(
      'the next member to commit the partition to its end',
      async () => (await committed()) === 20,
    );

    const handledTwice = handledByNext.filter((offset) => handledByKilled.includes(offset));
    const lost = range(0, 20).filter(
      (offset) => !handledByKilled.includes(offset) && !handledByNext.includes(offset),
    );
    return { committedAtKill: committedAtKill!, handledByKilled, handledByNext, handledTwice, lost };
  }

  /** At least once, in either mode: only what the killed one handled after its last commit comes again. */
  function expectNoneLostNoneCommittedRedelivered(run: Awaited<ReturnType<typeof killMidBatch>>) {
    expect(run.handledByKilled).toEqual(range(0, 16));
    expect(run.lost).toEqual([]);
    expect(run.handledByNext).toEqual(range(run.committedAtKill, 20)); // nothing before it; in order
    expect(run.handledTwice).toEqual(
      run.handledByKilled.filter((offset) => Number(offset) >= run.committedAtKill),
    );
  }

  it('AckMode.BATCH: the next member gets again what the killed one handled of the batch in hand, nothing it committed, and nothing is lost', async () => {
    const run = await killMidBatch(AckMode.BATCH);

    expectNoneLostNoneCommittedRedelivered(run);
    expect(run.committedAtKill).toBe(10); // the first batch, committed as it ended; nothing of the second
    expect(run.handledTwice).toEqual(range(10, 16));
  });

  it('AckMode.RECORD: the next member gets again at most the record in hand at the kill', async () => {
    const run = await killMidBatch(AckMode.RECORD);

    expectNoneLostNoneCommittedRedelivered(run);
    expect(run.committedAtKill).toBe(15); // every record whose handler returned, not the one in hand
    expect(run.handledTwice).toEqual([killedAfterEffectOf]);
  });
});

/** Offsets `from` … `to - 1`, as kafkajs writes them. */
function range(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, index) => String(from + index));
}
