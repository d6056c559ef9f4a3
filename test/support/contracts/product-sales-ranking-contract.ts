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
    expect(await ranking.addSalesOnce(order('event-1', [sale(1, 3), sale(2, 1)]))).toBe(true);
    expect(await ranking.addSalesOnce(order('event-1', [sale(1, 3), sale(2, 1)]))).toBe(false);
    expect(await ranking.addSalesOnce(order('event-2', [sale(1, 2)]))).toBe(true);

    expect(await unitsByProduct()).toEqual([
      [1, 5],
      [2, 1],
    ]);
  });

  it('counts an event once when 20 deliveries of it arrive at the same time', async () => {
    const counted = await Promise.all(
      Array.from({ length: 20 }, () => ranking.addSalesOnce(order('event-1', [sale(1, 3)]))),
    );

    expect(counted.filter(Boolean)).toHaveLength(1);
    expect(await unitsByProduct()).toEqual([[1, 3]]);
  });

  it('keeps the names of the products', async () => {
    await ranking.addSalesOnce(order('event-1', [{ productId: 4, productName: 'Keyboard', quantity: 2 }]));

    expect(await ranking.top(10)).toEqual([{ productId: 4, productName: 'Keyboard', unitsSold: 2 }]);
  });

  it('ranks the best sellers first, ties by product id, lowest first, even across the limit', async () => {
    await ranking.addSalesOnce(order('event-1', [sale(10, 4), sale(9, 4), sale(2, 1)]));
    await ranking.addSalesOnce(order('event-2', [sale(11, 4), sale(3, 6)]));
    await ranking.addSalesOnce(order('event-3', [sale(1, 1), sale(12, 2), sale(100, 4)]));

    // 10 comes after 9: the tie is broken by the number, not by its text.
    expect((await ranking.top(3)).map((total) => total.productId)).toEqual([3, 9, 10]);
    expect((await ranking.top(100)).map((total) => total.productId)).toEqual([3, 9, 10, 11, 100, 12, 1, 2]);
  });
}
