import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe } from '@jest/globals';
import { createScratchMysqlDatabase } from '../../../scripts/support/scratch-database.mjs';
import { servicesEnv } from '../../../scripts/support/services-env.mjs';

/** `describe`, or `describe.skip` when global-setup found no servers (never under CI=true). */
export const describeWithRealServers =
  process.env['REAL_SERVERS_SKIPPED'] === 'true' ? describe.skip : describe;

export function kafkaBrokers(): string {
  return required('KAFKA_BROKERS');
}

export function redisUrl(): string {
  return required('REDIS_URL');
}

/**
 * A database of its own for one test file, on the MySQL server global-setup found, dropped afterwards:
 * test files never see each other's rows.
 */
export function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createScratchMysqlDatabase('orders_test', required('DATABASE_URL'));
}

/**
 * True when the broker in use is the one `npm run services:start` runs, so a test may stop and restart
 * it. A broker from docker compose or testcontainers is not ours to stop.
 */
export function brokerIsOurs(): boolean {
  return process.env['KAFKA_BROKERS'] !== undefined && servicesEnv()['KAFKA_BROKERS'] === kafkaBrokers();
}

function required(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: the servers project's global-setup sets it`);
  return value;
}

/** Stops or starts one of the services `npm run services:start` runs, as a learner would from a shell. */
export function services(command: 'start' | 'stop', service: 'kafka' | 'mysql'): void {
  execFileSync(
    process.execPath,
    [join(import.meta.dirname, '../../../scripts/services/cli.mjs'), command, service],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}
