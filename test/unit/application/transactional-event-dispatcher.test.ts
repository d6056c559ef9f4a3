import { beforeEach, describe, expect, it } from '@jest/globals';
import type { DomainEventListener } from '../../../src/application/shared/events/domain-event-listener.js';
import { TransactionalEventDispatcher } from '../../../src/application/shared/events/transactional-event-dispatcher.js';
import { NoActiveTransaction } from '../../../src/application/shared/transaction-manager.js';
import { OrderCompleted } from '../../../src/domain/order/order-completed.js';
import { DomainEvent } from '../../../src/domain/shared/domain-event.js';
import { anOrderCompletedEvent } from '../../support/builders.js';
import { deferred } from '../../support/deferred.js';
import { FakeTransactionManager } from '../../support/fakes/fake-transaction-manager.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

class SomethingElseHappened extends DomainEvent {
  readonly eventName = 'something.else';
  constructor() {
    super();
  }
  toPrimitives() {
    return {};
  }
}

describe('TransactionalEventDispatcher (after commit, async)', () => {
  let transactions: FakeTransactionManager;
  let logger: RecordingLogger;
  let dispatcher: TransactionalEventDispatcher;
  let journal: string[];

  const recordingListener = (name: string): DomainEventListener<OrderCompleted> => ({
    handle: async (event) => {
      journal.push(`${name} handled ${event.orderId}`);
    },
  });

  beforeEach(() => {
    transactions = new FakeTransactionManager();
    journal = transactions.journal;
    logger = new RecordingLogger();
    dispatcher = new TransactionalEventDispatcher(transactions, logger);
  });

  it('runs listeners after COMMIT, and only after the use case has returned', async () => {
    dispatcher.subscribe(OrderCompleted, recordingListener('listener'));

    await transactions.run(async () => {
      dispatcher.dispatch([anOrderCompletedEvent()]);
      journal.push('work done');
    });
    journal.push('use case returned');
    await dispatcher.drain();

    expect(journal).toEqual([
      'begin',
      'work done',
      'commit',
      'use case returned',
      'listener handled order-1',
    ]);
  });

  it('dispatches nothing when the transaction rolls back', async () => {
    dispatcher.subscribe(OrderCompleted, recordingListener('listener'));

    await expect(
      transactions.run(async () => {
        dispatcher.dispatch([anOrderCompletedEvent()]);
        throw new Error('out of stock');
      }),
    ).rejects.toThrow('out of stock');
    await dispatcher.drain();

    expect(journal).toEqual(['begin', 'rollback']);
  });

  it('delivers each event once to each listener of its type, and to no other', async () => {
    dispatcher.subscribe(OrderCompleted, recordingListener('first'));
    dispatcher.subscribe(OrderCompleted, recordingListener('second'));
    dispatcher.subscribe(SomethingElseHappened, { handle: async () => void journal.push('wrong listener') });

    await transactions.run(async () => dispatcher.dispatch([anOrderCompletedEvent()]));
    await dispatcher.drain();

    expect(journal.filter((line) => line.includes('handled'))).toEqual([
      'first handled order-1',
      'second handled order-1',
    ]);
  });

  it('does not let a slow listener hold up the caller', async () => {
    const release = deferred();
    dispatcher.subscribe(OrderCompleted, {
      handle: async () => {
        journal.push('listener started');
        await release.promise;
        journal.push('listener finished');
      },
    });

    await transactions.run(async () => dispatcher.dispatch([anOrderCompletedEvent()]));
    journal.push('use case returned');
    await new Promise((resolve) => setImmediate(resolve));
    journal.push('response sent');
    release.resolve();
    await dispatcher.drain();

    expect(journal).toEqual([
      'begin',
      'commit',
      'use case returned',
      'listener started',
      'response sent',
      'listener finished',
    ]);
  });

  it('logs a failing listener instead of failing the committed work', async () => {
    dispatcher.subscribe(OrderCompleted, {
      handle: async () => {
        throw new Error('broker unreachable');
      },
    });
    dispatcher.subscribe(OrderCompleted, recordingListener('healthy'));

    await expect(
      transactions.run(async () => dispatcher.dispatch([anOrderCompletedEvent()])),
    ).resolves.toBeUndefined();
    await dispatcher.drain();

    expect(logger.messages('error')).toEqual(['after-commit listener failed']);
    expect(logger.entries.find((entry) => entry.level === 'error')?.fields).toMatchObject({
      eventName: 'order.completed',
      err: new Error('broker unreachable'),
    });
    expect(journal).toContain('healthy handled order-1');
  });

  describe('a before-commit listener', () => {
    it('runs inside the transaction, after the work and before COMMIT, and is awaited', async () => {
      dispatcher.subscribe(OrderCompleted, recordingListener('after'));
      dispatcher.subscribe(OrderCompleted, recordingListener('before'), 'before-commit');

      await transactions.run(async () => {
        dispatcher.dispatch([anOrderCompletedEvent()]);
        journal.push('work done');
      });
      journal.push('use case returned');
      await dispatcher.drain();

      expect(journal).toEqual([
        'begin',
        'work done',
        'before handled order-1',
        'commit',
        'use case returned',
        'after handled order-1',
      ]);
    });

    it('rolls the transaction back when it fails, and then no after-commit listener runs', async () => {
      dispatcher.subscribe(OrderCompleted, recordingListener('after'));
      dispatcher.subscribe(
        OrderCompleted,
        {
          handle: async () => {
            throw new Error('outbox table missing');
          },
        },
        'before-commit',
      );

      await expect(
        transactions.run(async () => dispatcher.dispatch([anOrderCompletedEvent()])),
      ).rejects.toThrow('outbox table missing');
      await dispatcher.drain();

      expect(journal).toEqual(['begin', 'rollback']);
    });
  });

  it('refuses to dispatch outside a transaction, even with no listener subscribed', () => {
    expect(() => dispatcher.dispatch([anOrderCompletedEvent()])).toThrow(NoActiveTransaction);
  });
});
