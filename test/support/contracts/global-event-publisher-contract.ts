import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type {
  GlobalEventPublisher,
  OutboundMessage,
} from '../../../src/domain/shared/global-event-publisher.js';

/** A record as a consumer of the topic reads it: key, partition, the body as bytes, the headers. */
export interface DeliveredRecord {
  readonly key: string | null;
  readonly partition: number;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What an adapter promises when its transport refuses a message (a topic the broker does not have):
 * - `publish rejects`: the caller's promise rejects (kafka, sync);
 * - `the row stays`: `publish` only wrote a row; the relay's send fails, and the row stays to be sent
 *   again (outbox);
 * - `nothing is refused`: there is no transport to refuse it (in-memory: the in-process broker has every
 *   topic). The adapter still rejects what it cannot serialize, like every other.
 */
export type FailurePromise = 'publish rejects' | 'the row stays' | 'nothing is refused';

/** One adapter under test, with a fresh topic of its own and a way to see what reached the wire. */
export interface PublisherUnderTest {
  readonly publisher: GlobalEventPublisher;
  readonly topic: string;
  /** Calls `publish` as the application does (the outbox: inside a transaction). */
  readonly publish: (message: OutboundMessage) => Promise<void>;
  /** The first `count` records on `topic`, as a consumer reads them (the outbox relays its rows first). */
  readonly delivered: (count: number) => Promise<DeliveredRecord[]>;
  /** A topic the transport refuses (unless `nothing is refused`). */
  readonly refusedTopic?: string;
  /** The event ids written but not sent (only `the row stays`). */
  readonly unsentEventIds?: () => Promise<string[]>;
  /** What the application's shutdown does with this adapter: waits for the sends in flight, then stops. */
  readonly shutdown: () => Promise<void>;
  /** Releases what `start` made (connections, databases). */
  readonly close: () => Promise<void>;
}

/**
 * What every `GlobalEventPublisher` adapter must do, as `it`s: call it inside a `describe` with a function
 * that starts a fresh adapter. A new adapter gets the whole suite by one line.
 */
export function itBehavesLikeAGlobalEventPublisher(
  start: () => Promise<PublisherUnderTest>,
  onRefusal: FailurePromise,
): void {
  let sut: PublisherUnderTest;

  beforeEach(async () => {
    sut = await start();
  });
  afterEach(() => sut.close());

  const message = (key: string, sequence: number, topic = sut.topic): OutboundMessage => ({
    topic,
    key,
    payload: { orderId: key, sequence },
    eventId: `${key}-${sequence}`,
    aggregateType: 'order',
    aggregateId: key,
  });

  it('delivers every message of a key to one partition, in the order they were published', async () => {
    const keys = ['order-a', 'order-b', 'order-c', 'order-d'];
    for (let sequence = 1; sequence <= 3; sequence += 1) {
      for (const key of keys) await sut.publish(message(key, sequence));
    }

    const records = await sut.delivered(12);

    for (const key of keys) {
      const ofKey = records.filter((record) => record.key === key);
      expect(new Set(ofKey.map((record) => record.partition)).size).toBe(1);
      expect(ofKey.map((record) => JSON.parse(record.value).sequence)).toEqual([1, 2, 3]);
    }
  });

  it('puts the key, the JSON body and the envelope headers on the wire, its other headers as they are', async () => {
    await sut.publish({
      ...message('order-7', 1),
      payload: { orderId: 'order-7', items: [{ productId: 3, quantity: 2 }] },
      headers: { 'event-type': 'order.completed', 'request-id': 'request-42' },
    });

    const [record] = await sut.delivered(1);

    expect(record?.key).toBe('order-7');
    expect(JSON.parse(record?.value ?? '')).toEqual({
      orderId: 'order-7',
      items: [{ productId: 3, quantity: 2 }],
    });
    // toMatchObject: an adapter may add more, as tracing does (`traceparent`).
    expect(record?.headers).toMatchObject({
      'event-id': 'order-7-1',
      'aggregate-type': 'order',
      'aggregate-id': 'order-7',
      'event-type': 'order.completed',
      'request-id': 'request-42',
    });
  });

  it('rejects a message whose body cannot be serialized, and delivers nothing of it', async () => {
    await expect(sut.publish({ ...message('order-x', 1), payload: { total: 10n } })).rejects.toThrow(
      'BigInt',
    );
    await sut.publish(message('order-y', 1));

    expect((await sut.delivered(1)).map((record) => record.key)).toEqual(['order-y']);
  });

  if (onRefusal === 'publish rejects') {
    it("rejects the caller's publish when the transport refuses the message", async () => {
      await expect(sut.publish(message('order-x', 1, sut.refusedTopic))).rejects.toThrow();
    });
  }

  if (onRefusal === 'the row stays') {
    it('accepts the message, and keeps it to send again when the transport refuses it', async () => {
      await sut.publish(message('order-x', 1, sut.refusedTopic));

      expect(await sut.unsentEventIds?.()).toEqual(['order-x-1']);
    });
  }

  it('waits at shutdown for the publishes in flight, and loses none of them', async () => {
    const publishing = Array.from({ length: 10 }, (_, i) => sut.publish(message(`order-${i}`, 1)));

    await sut.shutdown();

    await Promise.all(publishing);
    const records = await sut.delivered(10);
    expect(records.map((record) => record.key).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `order-${i}`).sort(),
    );
  });
}
