import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { findServices, servicesMissingMessage } from '../../bench/support/services.mjs';

// `npm run bench` needs no export step: each server's address comes from the environment, else from what
// `npm run services:start` wrote, else from docker compose's ports; and a server that does not answer is
// named before the bench builds or starts anything. Checked against listening and closed local ports.

const variables = ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL'] as const;

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one the system just gave out and was closed again. */
async function closedPort(): Promise<number> {
  const server = await listening();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('findServices', () => {
  const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
  let servers: Server[] = [];

  beforeEach(() => {
    for (const name of variables) delete process.env[name];
  });
  afterEach(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('takes the environment over services.env, and services.env over docker compose, and passes them on', async () => {
    servers = [await listening(), await listening()];
    const [kafka, mysql] = servers.map(portOf);
    process.env['KAFKA_BROKERS'] = `127.0.0.1:${kafka},127.0.0.1:1`;

    const found = await findServices({
      KAFKA_BROKERS: 'written:9092',
      DATABASE_URL: `mysql://orders:secret@127.0.0.1:${mysql}/orders`,
    });

    expect(found.map(({ name, source }) => [name, source])).toEqual([
      ['Kafka', '$KAFKA_BROKERS'],
      ['MySQL', 'var/services/services.env'],
      ['Redis', "docker compose's address"],
    ]);
    expect(process.env['KAFKA_BROKERS']).toBe(`127.0.0.1:${kafka},127.0.0.1:1`);
    expect(process.env['DATABASE_URL']).toBe(`mysql://orders:secret@127.0.0.1:${mysql}/orders`);
    expect(process.env['REDIS_URL']).toBe('redis://localhost:6379');
    expect(found[1]?.address).toBe(`mysql://orders:***@127.0.0.1:${mysql}/orders`);
    expect(found[0]?.failure).toBeUndefined();
    expect(found[1]?.failure).toBeUndefined();
  });

  it('names each server that does not answer, where its address came from, and how to start it', async () => {
    servers = [await listening()];
    const refused = await closedPort();
    process.env['KAFKA_BROKERS'] = `127.0.0.1:${portOf(servers[0]!)}`;
    process.env['REDIS_URL'] = `redis://127.0.0.1:${refused}`;

    const found = await findServices({ DATABASE_URL: `mysql://orders:secret@127.0.0.1:${refused}/orders` });

    expect(found.map(({ failure }) => failure)).toEqual([
      undefined,
      'connection refused',
      'connection refused',
    ]);
    expect(servicesMissingMessage(found).split('\n')).toEqual([
      'The bench needs Kafka, MySQL and Redis, and these do not answer:',
      `  MySQL  mysql://orders:***@127.0.0.1:${refused}/orders (var/services/services.env): connection refused`,
      `  Redis  redis://127.0.0.1:${refused} ($REDIS_URL): connection refused`,
      'Start them with `npm run services:start` (or, with Docker, `docker compose up -d`), then run the bench again.',
    ]);
  });
});
