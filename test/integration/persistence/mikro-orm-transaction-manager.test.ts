import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TransactionalEventDispatcher } from '../../../src/application/shared/events/transactional-event-dispatcher.js';
import { NoActiveTransaction } from '../../../src/application/shared/transaction-manager.js';
import { OrderCompleted } from '../../../src/domain/order/order-completed.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmProductRepository } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-repository.js';
import { anOrderCompletedEvent } from '../../support/builders.js';
import { deferred } from '../../support/deferred.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { insertRows, openTestDatabase } from '../../support/test-database.js';

describe('MikroOrmTransactionManager on SQLite', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let transactions: MikroOrmTransactionManager;
  let products: MikroOrmProductRepository;
  const journal: string[] = [];

  const storedStock = async () => (await products.findAll()).map((product) => product.stock);

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
    products = new MikroOrmProductRepository(database);
    journal.length = 0;
  });
  afterEach(() => remove());

  it('commits, then calls the after-commit hook once', async () => {
    await transactions.run(async () => {
      await insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 7 }] });
      transactions.afterCommit(() => journal.push('hook'));
      journal.push('work done');
    });

    expect(journal).toEqual(['work done', 'hook']);
    expect(await storedStock()).toEqual([7]);
  });

  it('sees committed rows from the hook', async () => {
    let stockSeenByHook: Promise<number[]> | undefined;
    await transactions.run(async () => {
      await insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 3 }] });
      transactions.afterCommit(() => (stockSeenByHook = storedStock()));
    });

    await expect(stockSeenByHook).resolves.toEqual([3]);
  });

  it('rolls back and never calls the hook when the work throws', async () => {
    await expect(
      transactions.run(async () => {
        await insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 7 }] });
        transactions.afterCommit(() => journal.push('hook'));
        throw new Error('coupon already used');
      }),
    ).rejects.toThrow('coupon already used');

    expect(journal).toEqual([]);
    expect(await storedStock()).toEqual([]);
  });

  it('lets a nested run join the outer transaction', async () => {
    await expect(
      transactions.run(async () => {
        await transactions.run(() =>
          insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 1 }] }),
        );
        throw new Error('outer fails after inner finished');
      }),
    ).rejects.toThrow('outer fails');

    expect(await storedStock()).toEqual([]);
  });

  it('runs a before-commit hook inside the transaction: its writes commit with the work', async () => {
    await transactions.run(async () => {
      transactions.beforeCommit(async () => {
        journal.push('before-commit hook');
        await insertRows(database, { products: [{ id: 2, name: 'Mouse', price: 1, stock: 4 }] });
      });
      transactions.afterCommit(() => journal.push('after-commit hook'));
      await insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 7 }] });
      journal.push('work done');
    });

    expect(journal).toEqual(['work done', 'before-commit hook', 'after-commit hook']);
    expect(await storedStock()).toEqual([7, 4]);
  });

  it('rolls back the work too when a before-commit hook throws', async () => {
    await expect(
      transactions.run(async () => {
        await insertRows(database, { products: [{ id: 1, name: 'Keyboard', price: 1, stock: 7 }] });
        transactions.beforeCommit(async () => {
          throw new Error('could not record the event');
        });
        transactions.afterCommit(() => journal.push('after-commit hook'));
      }),
    ).rejects.toThrow('could not record the event');

    expect(journal).toEqual([]);
    expect(await storedStock()).toEqual([]);
  });

  it('refuses before- and after-commit hooks outside a transaction', () => {
    expect(() => transactions.beforeCommit(async () => undefined)).toThrow(NoActiveTransaction);
    expect(() => transactions.afterCommit(() => undefined)).toThrow(NoActiveTransaction);
  });

  it('answers before a slow after-commit listener has finished', async () => {
    const dispatcher = new TransactionalEventDispatcher(transactions, new RecordingLogger());
    const release = deferred();
    dispatcher.subscribe(OrderCompleted, {
      handle: async () => {
        journal.push('listener started');
        await release.promise;
        journal.push('listener finished');
      },
    });
    const event = anOrderCompletedEvent();

    await transactions.run(async () => dispatcher.dispatch([event]));
    journal.push('committed, response can go');
    await new Promise((resolve) => setImmediate(resolve));
    journal.push('response sent');
    release.resolve();
    await dispatcher.drain();

    expect(journal).toEqual([
      'committed, response can go',
      'listener started',
      'response sent',
      'listener finished',
    ]);
  });
});
