import { inject, injectable } from 'inversify';
import {
  IssueRequestQueue,
  type Enqueued,
  type IssueRequest,
} from '../../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import { LuaScript, RedisClient } from './redis-client.js';

/** How a request is kept in Redis: JSON in one hash field, read back by `toIssueRequest`. */
interface StoredRequest {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly position: number;
  readonly requestedAtMs: number;
}

// Each script runs atomically, so no other command lands between its check and its writes: two requests
// of one user cannot both pass the "already queued?" check, and two takers cannot pop the same request.
//
// The waiting and in-flight lists are sorted sets scored by one sequence shared by every campaign, so
// "oldest first" holds across campaigns. The time is Redis's own (TIME), never an app server's clock.
const ENQUEUE = new LuaScript(
  'enqueue',
  `
  local byUser, positions, sequence, waiting, requests = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
  local campaignId, userId, requestId = ARGV[1], ARGV[2], ARGV[3]
  local existingId = redis.call('HGET', byUser, campaignId .. ':' .. userId)
  if existingId then
    return {0, redis.call('HGET', requests, existingId)}
  end
  local position = redis.call('HINCRBY', positions, campaignId, 1)
  local now = redis.call('TIME')
  local request = cjson.encode({
    requestId = requestId,
    campaignId = tonumber(campaignId),
    userId = tonumber(userId),
    position = position,
    requestedAtMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000),
  })
  redis.call('HSET', byUser, campaignId .. ':' .. userId, requestId)
  redis.call('HSET', requests, requestId, request)
  redis.call('ZADD', waiting, redis.call('INCR', sequence), requestId)
  return {1, request}
  `,
);

const TAKE_NEXT = new LuaScript(
  'take-next',
  `
  local waiting, inFlight, requests = KEYS[1], KEYS[2], KEYS[3]
  local taken = redis.call('ZPOPMIN', waiting, ARGV[1])
  local result = {}
  for i = 1, #taken, 2 do
    redis.call('ZADD', inFlight, taken[i + 1], taken[i])
    result[#result + 1] = redis.call('HGET', requests, taken[i])
  end
  return result
  `,
);

/**
 * The waiting line of a coupon rush in Redis. Keys (under the configured prefix):
 * - `coupon-requests` hash: request id → the request, as JSON;
 * - `coupon-requests:by-user` hash: `<campaign>:<user>` → request id (one place per user and campaign);
 * - `coupon-requests:positions` hash: campaign → the last position given;
 * - `coupon-requests:sequence`: the counter that orders requests across campaigns;
 * - `coupon-requests:waiting` and `coupon-requests:in-flight` sorted sets of request ids, by that counter.
 *
 * No key expires: while a campaign runs they are the only record of who queued first, and a request that
 * expired from the waiting line would be lost. They are small (about 200 bytes a request).
 */
@injectable()
export class RedisIssueRequestQueue extends IssueRequestQueue {
  readonly #keys;

  constructor(@inject(RedisClient) private readonly redis: RedisClient) {
    super();
    this.#keys = {
      requests: redis.key('coupon-requests'),
      byUser: redis.key('coupon-requests', 'by-user'),
      positions: redis.key('coupon-requests', 'positions'),
      sequence: redis.key('coupon-requests', 'sequence'),
      waiting: redis.key('coupon-requests', 'waiting'),
      inFlight: redis.key('coupon-requests', 'in-flight'),
    };
  }

  async enqueue(campaignId: number, userId: number, requestId: string): Promise<Enqueued> {
    const { byUser, positions, sequence, waiting, requests } = this.#keys;
    const [added, stored] = (await this.redis.run(
      ENQUEUE,
      [byUser, positions, sequence, waiting, requests],
      [campaignId, userId, requestId],
    )) as [number, string];
    return { request: toIssueRequest(stored), alreadyQueued: added === 0 };
  }

  async find(requestId: string): Promise<IssueRequest | null> {
    const stored = await this.redis.commands.hGet(this.#keys.requests, requestId);
    return stored === null ? null : toIssueRequest(stored);
  }

  async takeNext(max: number): Promise<IssueRequest[]> {
    const { waiting, inFlight, requests } = this.#keys;
    const taken = (await this.redis.run(TAKE_NEXT, [waiting, inFlight, requests], [max])) as string[];
    return taken.map(toIssueRequest);
  }

  async acknowledge(requestIds: readonly string[]): Promise<void> {
    if (requestIds.length > 0) await this.redis.commands.zRem(this.#keys.inFlight, [...requestIds]);
  }

  async inFlight(): Promise<IssueRequest[]> {
    const ids = await this.redis.commands.zRange(this.#keys.inFlight, 0, -1);
    if (ids.length === 0) return [];
    // The requests hash keeps every request, acknowledged or not, so each id read above is found here.
    const stored = await this.redis.commands.hmGet(this.#keys.requests, ids);
    return stored.filter((json): json is string => json !== null).map(toIssueRequest);
  }

  async waitingCount(): Promise<number> {
    return this.redis.commands.zCard(this.#keys.waiting);
  }
}

function toIssueRequest(json: string): IssueRequest {
  const { requestId, campaignId, userId, position, requestedAtMs } = JSON.parse(json) as StoredRequest;
  return { requestId, campaignId, userId, position, requestedAt: new Date(requestedAtMs) };
}
