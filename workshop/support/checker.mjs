// What every exercise's checker runs on: a list of checks printed as ✓ or ✗, stopping at the first ✗ with
// a hint, on the learner's own code (built from src/) against the real broker.
import kafkajs from 'kafkajs';
import '../../scripts/support/silence-kafkajs-timeout-warning.mjs';
import { buildApp, startAppProcess } from '../../scripts/support/app-process.mjs';
import { committedOffsets, logEndOffsets } from '../../scripts/support/kafka-offsets.mjs';
import { APP_GROUPS, skipOldOrderEvents } from '../../scripts/support/order-topic.mjs';
import { scratchSqliteFile } from '../../scripts/support/scratch-database.mjs';
import { waitFor, WaitTimedOut } from '../../scripts/support/wait-for.mjs';
import { kafkaBrokers } from '../../scripts/support/services-env.mjs';
import { recordsAfter } from './records.mjs';

const { Kafka, logLevel } = kafkajs;

/** A check that did not pass: `message` says what was observed, `hint` what to look at. */
export class CheckFailed extends Error {
  constructor(message, hint) {
    super(message);
    this.hint = hint;
  }
}

/**
 * Runs `exercise.check(t)` and prints the outcome. Resolves to the process's exit code: 0 when every check
 * passed, 1 when one failed (the exercise is not done yet), 2 when the checker could not do its job.
 */
export async function runChecker(exercise) {
  const brokers = kafkaBrokers();
  console.log(`\nWorkshop ${exercise.number} · ${exercise.title}   (brokers: ${brokers})\n`);
  const kafka = new Kafka({
    clientId: 'workshop-checker',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const apps = [];
  let producer;
  const t = {
    brokers,
    kafka,
    admin,
    pass: (text) => console.log(`  ✓ ${text}`),
    fail: (message, hint) => {
      throw new CheckFailed(message, hint);
    },
    /** `npm run build`; a compile error fails the check with the compiler's messages. */
    build() {
      try {
        buildApp();
      } catch (error) {
        throw new CheckFailed(error.message, 'fix the compile errors above, then run the checker again');
      }
      t.pass('the app compiles (npm run build)');
    },
    /** The app's consumer groups (and `extraGroups`) start at the end of the topic: old records do not count. */
    skipOldOrderEvents: (extraGroups = []) => skipOldOrderEvents(admin, [...APP_GROUPS, ...extraGroups]),
    /**
     * The learner's app, built from their src/, on a scratch SQLite file, talking to the broker. Quick
     * retries and a short session timeout keep the checks fast; `environment` comes on top.
     */
    async startApp(environment = {}, { keepDatabase = false } = {}) {
      const app = await startAppProcess({
        environment: {
          DB_DRIVER: 'sqlite',
          SQLITE_FILE: scratchSqliteFile(`workshop-${exercise.number}`, { keep: keepDatabase }),
          EVENT_PUBLISHER: 'kafka',
          KAFKA_BROKERS: brokers,
          KAFKA_SESSION_TIMEOUT_MS: '6000',
          CONSUMER_MAX_ATTEMPTS: '3',
          CONSUMER_BACKOFF_MS: '50',
          ...environment,
        },
      }).catch((error) => {
        throw new CheckFailed(
          `the app did not start: ${error.message}`,
          'run it yourself to see why: npm start',
        );
      });
      apps.push(app);
      return app;
    },
    /**
     * Produces `messages` to `topic` (acks=all) and resolves to where each partition's first one landed.
     * Idempotent, so a request kafkajs sends again cannot write a record twice.
     */
    async send(topic, messages) {
      producer ??= kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer.send({ topic, acks: -1, messages });
    },
    logEndOffsets: (topic) => logEndOffsets(admin, topic),
    recordsAfter: (topic, from, options) => recordsAfter(kafka, admin, topic, from, options),
    committedOffsets: (groupId, topic) => committedOffsets(admin, groupId, topic),
    /** Polls `probe` until it returns something other than undefined; undefined after `timeoutMs`. */
    waitFor: (probe, timeoutMs = 20_000) =>
      waitFor('a check', probe, { timeoutMs }).catch((error) => {
        if (error instanceof WaitTimedOut) return undefined;
        throw error;
      }),
  };

  try {
    await admin.connect().catch(() => {
      throw new CheckFailed(
        `no Kafka broker answers at ${brokers}`,
        'start one: npm run services:start -- kafka (or docker compose up -d kafka)',
      );
    });
    await exercise.check(t);
    console.log(`\n✓ Exercise ${exercise.number} passed.${exercise.next ? ` Next: ${exercise.next}` : ''}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CheckFailed)) {
      console.log(
        `  ✗ the checker could not finish: ${indentAfterFirstLine(error.stack ?? String(error), '    ')}`,
      );
      console.log(
        '\n    Is the broker up (npm run services:status)? Is an app of yours still running (stop it)?\n',
      );
      return 2;
    }
    console.log(`  ✗ ${indentAfterFirstLine(error.message, '    ')}`);
    if (error.hint) console.log(`\n    Hint: ${indentAfterFirstLine(error.hint, '          ')}`);
    console.log(`\n✗ Exercise ${exercise.number} is not done yet. Read ${exercise.readme}, or look at the`);
    console.log(
      `  reference solution: npm run workshop:solve -- ${exercise.number} (it changes your files)\n`,
    );
    return 1;
  } finally {
    await Promise.allSettled(apps.map((app) => app.stop()));
    await producer?.disconnect();
    await admin.disconnect();
  }
}

function indentAfterFirstLine(text, indent) {
  return text.split('\n').join(`\n${indent}`);
}

/** Units of `productId` in GET /products/ranking (0 when it is not ranked yet). */
export async function unitsSold(app, productId) {
  const { body } = await app.get('/products/ranking');
  const ranked = Array.isArray(body) ? body : (body.ranking ?? body.products ?? []);
  return ranked.find((entry) => entry.productId === productId)?.unitsSold ?? 0;
}
