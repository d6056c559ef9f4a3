import { setTimeout as sleep } from 'node:timers/promises';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import { recordFailedAttempt } from '../../observability/tracing/spans.js';
import type { RetryPolicy } from './retry-policy.js';

export type HandlingOutcome =
  | { readonly status: 'handled'; readonly attempts: number }
  /** Every attempt failed: the record is for the dead-letter topic. */
  | { readonly status: 'exhausted'; readonly attempts: number; readonly error: unknown }
  /** Stopped while waiting to try again: the record is neither handled nor dead, and stays uncommitted. */
  | { readonly status: 'abandoned'; readonly attempts: number };

export interface FailedAttempt {
  readonly attempt: number;
  readonly error: unknown;
  /** `undefined` when no attempt is left. */
  readonly retryInMs: number | undefined;
}

/**
 * Runs the consumer's handler until it succeeds or the policy's attempts are spent. It never throws: the
 * caller decides what a spent record means (the listener containers send it to the dead-letter topic).
 * `stopping` cuts a wait between attempts short: shutdown does not sit out a backoff.
 */
export async function handleWithRetries(
  consumer: MessageConsumer,
  message: InboundMessage,
  policy: RetryPolicy,
  onFailedAttempt: (failure: FailedAttempt) => void,
  stopping?: AbortSignal,
): Promise<HandlingOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.handle(message);
      return { status: 'handled', attempts: attempt };
    } catch (error) {
      const retryInMs = policy.backoffAfter(attempt);
      onFailedAttempt({ attempt, error, retryInMs });
      recordFailedAttempt(attempt, error, retryInMs);
      if (retryInMs === undefined) return { status: 'exhausted', attempts: attempt, error };
      const stopped = await sleep(retryInMs, false, { signal: stopping }).catch(() => true);
      if (stopped) return { status: 'abandoned', attempts: attempt };
    }
  }
}
