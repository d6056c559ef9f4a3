import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  describeDatabase,
  resetDatabase,
} from '../../../src/infrastructure/persistence/mikro-orm/database-admin.js';
import { StartupError } from '../../../src/infrastructure/startup-error.js';

describe('describeDatabase', () => {
  it('names the SQLite file', () => {
    expect(describeDatabase({ driver: 'sqlite', sqliteFile: 'var/order-service.sqlite' })).toBe(
      'SQLite file var/order-service.sqlite',
    );
  });

  it('names a SQLite file inside the current folder by its relative path', () => {
    expect(
      describeDatabase({ driver: 'sqlite', sqliteFile: join(process.cwd(), 'var/demos/08.sqlite') }),
    ).toBe(`SQLite file ${join('var', 'demos', '08.sqlite')}`);
  });

  it('names the MySQL URL without its password', () => {
    expect(describeDatabase({ driver: 'mysql', url: 'mysql://orders:s3cret@db.local:3306/orders' })).toBe(
      'MySQL database mysql://orders@db.local:3306/orders',
    );
  });
});

describe('resetDatabase', () => {
  it('refuses a MySQL database without --yes, before connecting, naming what it would drop', async () => {
    // Nothing listens on port 1: had it connected, it would fail with ECONNREFUSED instead.
    const reset = resetDatabase(
      { driver: 'mysql', url: 'mysql://orders:s3cret@127.0.0.1:1/orders' },
      { confirmed: false },
    );

    await expect(reset).rejects.toThrow(StartupError);
    await expect(reset).rejects.toThrow(
      /drops every table of the order service in MySQL database mysql:\/\/orders@127\.0\.0\.1:1\/orders.*--yes/s,
    );
  });
});
