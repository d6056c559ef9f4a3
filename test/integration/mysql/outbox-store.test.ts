import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import type { OutboundMessage } from '../../../src/domain/shared/global-event-publisher.js';
import { OutboxStore } from '../../../src/infrastructure/messaging/outbox/outbox-store.js';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { OutboxEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { createScratchDatabase, describeWithRealServers } from '../../support/servers/real-servers.js';

const event = (eventId: string, key: string): OutboundMessage => ({
  topic: 'outside.order.completed.v1',
  key,
  payload: {},
  eventId,
  aggregateType: 'order',
  aggregateId: key,
});

const request = (eventId: string): OutboundMessage => ({
  topic: 'outside.coupon.issue-requested.v1',
  key: '1',
  payload: { requestId: eventId },
  eventId,
  aggregateType: 'coupon-campaign',
  aggregateId: '1',
});

describeWithRealServers('OutboxStore on MySQL (real server)', () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    ({ database } = await Database.open({ driver: 'mysql', url: scratch.url }));
  });
  beforeEach(() => database.em().nativeDelete(OutboxEventRow, {}));
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('keeps one row per event id: the same event added again is ignored, in the same transaction or a later one', async () => {
    const store = new OutboxStore(database);
    const transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
    const now = new Date('2026-11-30T09:00:00.000Z');

    const firstTime = await transactions.run(async () => [
      await store.add(request('11111111-1111-4111-8111-111111111111'), now),
      await store.add(request('11111111-1111-4111-8111-111111111111'), now),
    ]);
    const later = await transactions.run(() =>
      store.add(request('11111111-1111-4111-8111-111111111111'), now),
    );

    expect(firstTime).toEqual([true, false]);
    expect(later).toBe(false);
    expect(await database.em().count(OutboxEventRow, {})).toBe(1);
  });

  it('claims past a key whose earlier row another claim is sending, and that key’s later row once it is sent', async () => {
    const store = new OutboxStore(database);
    const transactions = new MikroOrmTransactionManager(database, new RecordingLogger());
    const now = new Date('2026-11-30T09:00:00.000Z');
    const [a1, b1, a2] = ['a1', 'b1', 'a2'].map((n) => `${n}000000-0000-4000-8000-000000000000`.slice(0, 36));
    await transactions.run(async () => {
      await store.add(event(a1!, 'order-a'), now);
      await store.add(event(b1!, 'order-b'), now);
      await store.add(event(a2!, 'order-a'), now);
    });
    const eventIds = (claimed: Awaited<ReturnType<OutboxStore['claimBatch']>>) =>
      claimed.map((row) => row.eventId);

    const first = await transactions.run(() => store.claimBatch(1, now));
    const second = await transactions.run(() => store.claimBatch(10, now));
    await transactions.run(() => store.markSent(first, now));
    const third = await transactions.run(() => store.claimBatch(10, now));

    expect([eventIds(first), eventIds(second), eventIds(third)]).toEqual([[a1], [b1], [a2]]);
  });
});
