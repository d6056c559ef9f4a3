import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import { loadConfig } from '../../src/infrastructure/config/config.js';
import { OrderService } from '../../src/infrastructure/di/order-service.js';
import { StartupError } from '../../src/infrastructure/startup-error.js';
import { HttpServer } from '../../src/interfaces/http/http-server.js';
import type { LogLine } from '../support/test-service.js';
import { temporaryFolder, type TemporaryFolder } from '../support/test-database.js';
import { startTestService } from '../support/test-service.js';

// What a learner sees who starts the service with a setting that cannot work. `main` prints a StartupError's
// message alone, without a stack trace; each message names the variable to fix.
describe('start-up failures', () => {
  let files: TemporaryFolder;
  beforeEach(() => {
    files = temporaryFolder();
  });
  afterEach(() => files.remove());

  it('SQLITE_FILE pointing at a folder', async () => {
    const folder = files.path('orders.sqlite');
    mkdirSync(folder);

    const starting = startTestService({ SQLITE_FILE: folder });

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      `SQLITE_FILE=${folder} is a folder, not a file: point SQLITE_FILE at a file`,
    );
  });

  it('SQLITE_FILE pointing at a file that is not a SQLite database, which it leaves as it was', async () => {
    const notes = files.path('notes.txt');
    writeFileSync(notes, 'shopping list: keyboard, mouse\n');

    const starting = startTestService({ SQLITE_FILE: notes });

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      `SQLITE_FILE=${notes} is not a SQLite database: point SQLITE_FILE at a new file, or at this service's database`,
    );
    expect(readFileSync(notes, 'utf8')).toBe('shopping list: keyboard, mouse\n');
  });

  // No server needed: nothing listens on port 1.
  it('DB_DRIVER=mysql with no server at DATABASE_URL, and without repeating its password', async () => {
    const starting = startTestService({
      DB_DRIVER: 'mysql',
      DATABASE_URL: 'mysql://orders:s3cret@127.0.0.1:1/orders',
    });

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      'MySQL did not answer at mysql://orders:***@127.0.0.1:1/orders. Start one (npm run services:start mysql, ' +
        'or docker compose up -d), or set DATABASE_URL to one that runs.',
    );
    await expect(starting).rejects.not.toThrow('s3cret');
  });

  describe('with the port already in use', () => {
    let holder: Server;
    let takenPort: number;
    beforeEach(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      takenPort = (holder.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it('stops before it creates, migrates or seeds the database, and names PORT', async () => {
      const sqliteFile = files.path('orders.sqlite');
      const config = loadConfig({ PORT: String(takenPort), SQLITE_FILE: sqliteFile, LOG_LEVEL: 'silent' });

      const starting = OrderService.startListening(config);

      await expect(starting).rejects.toThrow(StartupError);
      await expect(starting).rejects.toThrow(
        `PORT ${takenPort} is already in use on 127.0.0.1: stop the other process, or start with PORT=<another port>.`,
      );
      expect(existsSync(sqliteFile)).toBe(false);
    });
  });

  // 192.0.2.1 is reserved for documentation (no machine has it); .invalid is a top-level domain that never resolves.
  it.each([
    ['192.0.2.1', 'is not an address of this machine'],
    ['no-such-host.invalid', 'is not a name this machine can resolve'],
  ])('HOST=%s, before it touches the database', async (host, reason) => {
    const sqliteFile = files.path('orders.sqlite');
    const config = loadConfig({ HOST: host, PORT: '0', SQLITE_FILE: sqliteFile, LOG_LEVEL: 'silent' });

    const starting = OrderService.startListening(config);

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      `HOST ${host} ${reason}: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`,
    );
    expect(existsSync(sqliteFile)).toBe(false);
  });
});

describe('listening', () => {
  it('listens on loopback unless HOST says otherwise, and logs the address it really listens on', async () => {
    const files = temporaryFolder();
    const logs: LogLine[] = [];
    const config = loadConfig({
      PORT: '0',
      SQLITE_FILE: files.path('orders.sqlite'),
      LOG_FORMAT: 'json',
    });
    const service = await OrderService.startListening(config, {
      logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    });
    try {
      const listening = logs.find((line) => line.msg.startsWith('listening on'));
      expect(listening?.msg).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(listening).toMatchObject({ host: '127.0.0.1' });

      const response = await fetch(`${listening?.msg.replace('listening on ', '')}/products`);
      expect(response.status).toBe(200);
    } finally {
      await service.stop();
      files.remove();
    }
  });

  it('answers 503 while the rest of the service starts behind a port it already holds', async () => {
    const server = await HttpServer.listen(0, '127.0.0.1');
    try {
      const starting = await fetch(`${server.url}/products`);
      expect(starting.status).toBe(503);
      expect(starting.headers.get('retry-after')).toBe('1');
      expect(await starting.json()).toEqual({
        error: { code: 'STARTING', message: 'The service is starting: try again in a moment' },
      });

      server.serve(express().get('/products', (_request, response) => void response.json([])));
      const ready = await fetch(`${server.url}/products`);
      expect(ready.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
