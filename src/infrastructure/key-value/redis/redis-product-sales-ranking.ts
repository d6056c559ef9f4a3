import { inject, injectable } from 'inversify';
import {
  ProductSalesRanking,
  type OrderSales,
  type ProductSalesTotal,
} from '../../../application/product/ranking/product-sales-ranking.js';
import { Clock } from '../../../application/shared/clock.js';
import { LuaScript, RedisClient } from './redis-client.js';

/** The ranking counts the sales of the last 7 days, today included (UTC days). */
export const RANKING_DAYS = 7;
const DAY_SECONDS = 24 * 60 * 60;
// A day's counts, and the ids of the events counted in it, are kept one day longer than they are read.
const KEPT_SECONDS = (RANKING_DAYS + 1) * DAY_SECONDS;

// ZINCRBY is not idempotent, and Redis shares no transaction with the database: each event id is recorded
// (SET NX) in the same script as its increments, so a redelivered event finds it and adds nothing. One
// script per batch: KEYS are the names hash, then each order's event key and day key; ARGV the keys'
// lifetime, then per order its day's expiry, its number of sales and the sales. Returns the orders counted
// (their positions, from 1).
const ADD_SALES_ONCE = new LuaScript(
  'add-sales-once',
  `
  local names, keptSeconds = KEYS[1], ARGV[1]
  local counted, arg = {}, 2
  for order = 1, (#KEYS - 1) / 2 do
    local countedEvent, day = KEYS[order * 2], KEYS[order * 2 + 1]
    local expiresAt, firstSale = ARGV[arg], arg + 2
    arg = firstSale + 3 * tonumber(ARGV[arg + 1])
    if redis.call('SET', countedEvent, '1', 'NX', 'EX', keptSeconds) then
      for i = firstSale, arg - 1, 3 do
        redis.call('ZINCRBY', day, ARGV[i + 1], ARGV[i])
        redis.call('HSET', names, ARGV[i], ARGV[i + 2])
      end
      redis.call('EXPIREAT', day, expiresAt)
      counted[#counted + 1] = order
    end
  end
  return counted
  `,
);

// Sums the days into a scratch key, reads it, and deletes it, all in one script so that two readers
// cannot see each other's scratch key. Equal scores come back in Redis's order (by member bytes, "10"
// before "9"), not by product id: so it reads every product tied with the limit-th one, and the adapter
// sorts the ties and cuts to the limit.
const TOP_OF_DAYS = new LuaScript(
  'top-of-days',
  `
  local scratch = KEYS[1]
  redis.call('ZUNIONSTORE', scratch, #KEYS - 1, unpack(KEYS, 2))
  local last = redis.call('ZREVRANGE', scratch, ARGV[1] - 1, ARGV[1] - 1, 'WITHSCORES')
  local top
  if #last == 0 then
    top = redis.call('ZREVRANGE', scratch, 0, -1, 'WITHSCORES')
  else
    top = redis.call('ZREVRANGEBYSCORE', scratch, '+inf', last[2], 'WITHSCORES')
  end
  redis.call('DEL', scratch)
  return top
  `,
);

/**
 * Units sold per product in Redis: a sorted set per day of completion (`ranking:products:<yyyy-mm-dd>`,
 * product id → units), that expires once the ranking no longer reads it, and the product names in a hash
 * (`ranking:product-names`). The ranking is the sum of the last RANKING_DAYS days.
 */
@injectable()
export class RedisProductSalesRanking extends ProductSalesRanking {
  constructor(
    @inject(RedisClient) private readonly redis: RedisClient,
    @inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async addSalesOnce(orders: readonly OrderSales[]): Promise<boolean[]> {
    if (orders.length === 0) return [];
    const keys = [this.namesKey()];
    const args: (string | number)[] = [KEPT_SECONDS];
    for (const { eventId, completedAt, sales } of orders) {
      const day = utcDay(completedAt);
      keys.push(this.redis.key('ranking', 'counted-events', eventId), this.dayKey(day));
      args.push(
        Math.floor(Date.parse(day) / 1000) + KEPT_SECONDS,
        sales.length,
        ...sales.flatMap((sale) => [sale.productId, sale.quantity, sale.productName]),
      );
    }
    const counted = new Set((await this.redis.run(ADD_SALES_ONCE, keys, args)) as number[]);
    return orders.map((_, index) => counted.has(index + 1));
  }

  async top(limit: number): Promise<ProductSalesTotal[]> {
    const today = Date.parse(utcDay(this.clock.now()));
    const days = Array.from({ length: RANKING_DAYS }, (_, back) =>
      this.dayKey(utcDay(new Date(today - back * DAY_SECONDS * 1000))),
    );
    const scored = (await this.redis.run(
      TOP_OF_DAYS,
      [this.redis.key('ranking', 'products', `last-${RANKING_DAYS}-days`), ...days],
      [limit],
    )) as string[];
    const totals: { productId: number; unitsSold: number }[] = [];
    for (let i = 0; i < scored.length; i += 2) {
      totals.push({ productId: Number(scored[i]), unitsSold: Number(scored[i + 1]) });
    }
    const best = totals
      .sort((a, b) => b.unitsSold - a.unitsSold || a.productId - b.productId)
      .slice(0, limit);
    if (best.length === 0) return [];
    const names = await this.redis.commands.hmGet(
      this.namesKey(),
      best.map((total) => String(total.productId)),
    );
    return best.map((total, index) => ({ ...total, productName: names[index] ?? '' }));
  }

  private dayKey(day: string): string {
    return this.redis.key('ranking', 'products', day);
  }

  private namesKey(): string {
    return this.redis.key('ranking', 'product-names');
  }
}

/** `2026-11-30` for any time on that day, in UTC. */
function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}
