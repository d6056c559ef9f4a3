import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';

const BACKOFF_MS = 200;

export const exercise = {
  title: 'Retry with exponential backoff',
  startsFrom: 'the retry policy tries again at once',
  async check(t) {
    t.build();
    const { RetryPolicy } = await import(
      join(import.meta.dirname, '../../../dist/infrastructure/messaging/consumer/retry-policy.js')
    );
    expectWaits(t, new RetryPolicy(5, 100, 1_000), [100, 200, 400, 800, undefined]);
    expectWaits(t, new RetryPolicy(6, 500, 1_000), [500, 1_000, 1_000, 1_000, 1_000, undefined]);

    await t.skipOldOrderEvents();
    const app = await t.startApp({ CONSUMER_MAX_ATTEMPTS: '4', CONSUMER_BACKOFF_MS: String(BACKOFF_MS) });
    t.pass(`the app started with CONSUMER_MAX_ATTEMPTS=4, CONSUMER_BACKOFF_MS=${BACKOFF_MS}`);
    const key = `workshop-5-${randomBytes(3).toString('hex')}`;
    const [written] = await t.send(ORDER_TOPIC, [{ key, value: 'this is not an event envelope' }]);
    t.pass(
      `a poison record (not JSON) → ${ORDER_TOPIC} partition ${written.partition}, offset ${written.baseOffset}`,
    );

    const isOurs = (line) =>
      line.groupId === 'product-ranking' &&
      line.partition === written.partition &&
      line.offset === written.baseOffset;
    await app.waitForLog(
      'the record going to the dead-letter topic',
      (line) => isOurs(line) && line.msg?.startsWith('attempts spent'),
    );
    const failures = app.lines.filter((line) => isOurs(line) && line.msg === 'consumer failed');
    console.log('\n      attempt  failed at   next attempt in');
    for (const [index, failure] of failures.entries()) {
      const gap = index === 0 ? '' : ` (+${failure.time - failures[index - 1].time} ms)`;
      console.log(
        `      ${String(failure.attempt).padStart(7)}  ${new Date(failure.time).toISOString().slice(17, 23)}s${gap.padEnd(12)} ${failure.retryInMs ?? '— dead-lettered'}`,
      );
    }
    console.log('');
    const waits = failures.map(({ retryInMs }) => retryInMs);
    if (JSON.stringify(waits) !== JSON.stringify([BACKOFF_MS, 2 * BACKOFF_MS, 4 * BACKOFF_MS, undefined])) {
      t.fail(`product-ranking logged waits of ${JSON.stringify(waits)} ms for the poison record`);
    }
    for (let index = 1; index < failures.length; index++) {
      const gap = failures[index].time - failures[index - 1].time;
      if (gap < failures[index - 1].retryInMs) {
        t.fail(
          `attempt ${index + 1} came ${gap} ms after attempt ${index}, before its ${failures[index - 1].retryInMs} ms wait was over`,
        );
      }
    }
    t.pass(
      `on the real broker: 4 attempts, ${BACKOFF_MS} → ${2 * BACKOFF_MS} → ${4 * BACKOFF_MS} ms apart, then the dead-letter topic`,
    );
  },
};

function expectWaits(t, policy, expected) {
  const actual = expected.map((_, index) => policy.backoffAfter(index + 1));
  const show = (waits) => waits.map((wait) => wait ?? 'give up').join(', ');
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    t.fail(
      `new RetryPolicy(${policy.maxAttempts}, ${policy.initialBackoffMs}, ${policy.maxBackoffMs}) waits ${show(actual)} after
failed attempts 1…${expected.length}; expected ${show(expected)}`,
      `double the wait after each failure, starting from initialBackoffMs and never above maxBackoffMs;
and no wait at all (undefined) once maxAttempts attempts have failed:
backoffAfter() in src/infrastructure/messaging/consumer/retry-policy.ts`,
    );
  }
  t.pass(
    `new RetryPolicy(${policy.maxAttempts}, ${policy.initialBackoffMs}, ${policy.maxBackoffMs}) waits ${show(actual)}`,
  );
}
