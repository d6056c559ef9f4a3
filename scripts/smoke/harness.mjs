// Shared by the smoke tests: the built service started by the tooling's one launcher
// (scripts/support/app-process.mjs), and a count of checks. Each smoke test is a short script on top of this.
import { execFileSync } from 'node:child_process';
import kafkajs from 'kafkajs';
import '../support/silence-kafkajs-timeout-warning.mjs';
import { startAppProcess } from '../support/app-process.mjs';
import { settledLags } from '../support/kafka-offsets.mjs';
import { kafkaTool } from '../support/kafka-tool.mjs';
import { useServicesEnv } from '../support/services-env.mjs';

const { Kafka, logLevel } = kafkajs;

/** The built service with `environment`; a start-up failure is reported like a failed check. */
export async function startApp(environment) {
  try {
    return await startAppProcess({ environment });
  } catch (error) {
    console.error(`smoke test failed: ${error.message}`);
    console.log('smoke: 0 passed, 1 failed');
    process.exit(1);
  }
}

/** Runs `checks(check)`; prints `smoke: N passed, M failed` and, on failure, the service's log. */
export async function runSmokeTest(app, checks) {
  let passed = 0;
  const check = (condition, message) => {
    if (!condition) throw new Error(message);
    passed += 1;
    console.log(`  ok  ${message}`);
  };
  try {
    await checks(check);
    const { code } = await app.stop();
    check(code === 0, `SIGTERM: exited with code ${code}`);
    check(app.lines.at(-1)?.msg === 'stopped', 'shut down gracefully ("stopped" was the last log line)');
    console.log(`smoke: ${passed} passed, 0 failed`);
  } catch (error) {
    console.error(`smoke test failed: ${error.message}`);
    console.log(`smoke: ${passed} passed, 1 failed`);
    console.error(app.lines.map((line) => JSON.stringify(line)).join('\n'));
    await app.kill();
    process.exitCode = 1;
  }
}

/**
 * Finds the servers of `npm run services:start` ($KAFKA_BROKERS, $DATABASE_URL and $REDIS_URL, else its
 * services.env) and hands them on to the app and the Kafka tools; exits with a hint when there are none.
 */
export function requireServers() {
  const missing = useServicesEnv();
  if (missing.length > 0) {
    console.error(`${missing.join(' and ')} not set: run npm run services:start first`);
    process.exit(1);
  }
}

/** `npm run services:<command> -- <service>`, as the docs show it. */
export function services(command, service) {
  execFileSync(process.execPath, ['scripts/services/cli.mjs', command, service], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Each group's total lag on `topic`, once every group is at 0 or after 30 s (settledLags). */
export async function settledTotalLags(groups, topic) {
  const admin = new Kafka({
    clientId: 'smoke',
    brokers: process.env.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return (await settledLags(admin, groups, topic)).map(({ total }) => total);
  } finally {
    await admin.disconnect();
  }
}

/** The sum of the topic's log-end offsets, from `get-offsets`: how many records it ever received. */
export function recordsOn(topic) {
  return kafkaTool(['get-offsets', '--topic', topic])
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + Number(line.split(':').at(-1)), 0);
}
