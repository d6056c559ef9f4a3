import { beforeEach, expect, it } from '@jest/globals';
import type {
  OrderSales,
  ProductSale,
  ProductSalesRanking,
} from '../../../src/application/product/ranking/product-sales-ranking.js';

// Dated now: Redis expires a day's sales by its own clock, so a fixed date in the past would be gone.
const sale = (productId: number, quantity: number): ProductSale => ({
  productId,
  productName: `Product ${productId}`,
  quantity,
});
const order = (eventId: string, sales: ProductSale[]): OrderSales => ({
  eventId,
  completedAt: new Date(),
  sales,
});

/**
 * What every `ProductSalesRanking` adapter must do, as `it`s: call it inside a `describe` with a function
 * that gives an empty ranking each time (a table emptied, or Redis under a key prefix of the test's own).
 */
export function itBehavesLikeAProductSalesRanking(
  createEmptyRanking: () => Promise<ProductSalesRanking>,
): void {
  let ranking: ProductSalesRanking;

  beforeEach(async () => {
    ranking = await createEmptyRanking();
  });

  const unitsByProduct = async () =>
    (await ranking.top(100)).map(({ productId, unitsSold }) => [productId, unitsSold]);

  it("adds each sale to its product's total, and counts a redelivered event once", async () => {
    expect(await ranking.addSalesOnce([order('event-1', [sale(1, 3), sale(2, 1)])])).toEqual([true]);
    expect(await ranking.addSalesOnce([order('event-1', [sale(1, 3), sale(2, 1)])])).toEqual([false]);
    expect(await ranking.addSalesOnce([order('event-2', [sale(1, 2)])])).toEqual([true]);

    expect(await unitsByProduct()).toEqual([
      [1, 5],
      [2, 1],
    ]);
  });

  it('counts an event once when 20 deliveries of it arrive at the same time', async () => {
    const counted = await Promise.all(
      Array.from({ length: 20 }, () => ranking.addSalesOnce([order('event-1', [sale(1, 3)])])),
    );

    expect(counted.flat().filter(Boolean)).toHaveLength(1);
    expect(await unitsByProduct()).toEqual([[1, 3]]);
  });

  it('counts a batch at once, each event once: a copy later in the batch or in an earlier batch is skipped', async () => {
    expect(
      await ranking.addSalesOnce([
        order('event-1', [sale(1, 3)]),
        order('event-2', [sale(2, 1), sale(1, 1)]),
        order('event-1', [sale(1, 3)]),
      ]),
    ).toEqual([true, true, false]);
    expect(
      await ranking.addSalesOnce([
        order('event-2', [sale(2, 1), sale(1, 1)]),
        order('event-3', [sale(2, 5)]),
      ]),
    ).toEqual([false, true]);

    expect(await unitsByProduct()).toEqual([
      [2, 6],
      [1, 4],
    ]);
  });

  it('counts nothing for an empty batch', async () => {
    expect(await ranking.addSalesOnce([])).toEqual([]);
    expect(await unitsByProduct()).toEqual([]);
  });

  it('counts a batch of 500 events over 200 products', async () => {
    // Event i sells one unit of product i % 200 + 1 and two of product 1000.
    const orders = Array.from({ length: 500 }, (_, i) =>
      order(`event-${i}`, [sale((i % 200) + 1, 1), sale(1000, 2)]),
    );

    expect(await ranking.addSalesOnce(orders)).toEqual(orders.map(() => true));

    const expected = [
      [1000, 1000],
      ...Array.from({ length: 100 }, (_, i) => [i + 1, 3]),
      ...Array.from({ length: 100 }, (_, i) => [i + 101, 2]),
    ];
    expect((await ranking.top(1000)).map(({ productId, unitsSold }) => [productId, unitsSold])).toEqual(
      expected,
    );
  });

  it('counts every event once when overlapping batches arrive at the same time, and a batch that throws is retried one event at a time', async () => {
    // Each batch holds the two shared events and one of its own; each event sells one unit of product 1.
    const batches = Array.from({ length: 10 }, (_, k) =>
      ['shared-1', 'shared-2', `own-${k}`].map((eventId) => order(eventId, [sale(1, 1)])),
    );

    const outcomes = await Promise.allSettled(batches.map((batch) => ranking.addSalesOnce(batch)));
    const countedIds: string[] = [];
    for (const [k, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') {
        countedIds.push(...batches[k]!.filter((_, i) => outcome.value[i]).map((o) => o.eventId));
      } else {
        // What the listener container does when handleBatch throws.
        for (const one of batches[k]!) {
          if ((await ranking.addSalesOnce([one]))[0]) countedIds.push(one.eventId);
        }
      }
    }

    expect(countedIds.sort()).toEqual(['shared-1', 'shared-2', ...batches.map((_, k) => `own-${k}`)].sort());
    expect(await unitsByProduct()).toEqual([[1, 12]]);
  });

  it('keeps the names of the products', async () => {
    await ranking.addSalesOnce([order('event-1', [{ productId: 4, productName: 'Keyboard', quantity: 2 }])]);

    expect(await ranking.top(10)).toEqual([{ productId: 4, productName: 'Keyboard', unitsSold: 2 }]);
  });

  it('ranks the best sellers first, ties by product id, lowest first, even across the limit', async () => {
    await ranking.addSalesOnce([
      order('event-1', [sale(10, 4), sale(9, 4), sale(2, 1)]),
      order('event-2', [sale(11, 4), sale(3, 6)]),
    ]);
    await ranking.addSalesOnce([order('event-3', [sale(1, 1), sale(12, 2), sale(100, 4)])]);

    // 10 comes after 9: the tie is broken by the number, not by its text.
    expect((await ranking.top(3)).map((total) => total.productId)).toEqual([3, 9, 10]);
    expect((await ranking.top(100)).map((total) => total.productId)).toEqual([3, 9, 10, 11, 100, 12, 1, 2]);
  });
}
