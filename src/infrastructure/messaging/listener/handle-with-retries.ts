import { setTimeout as sleep } from 'node:timers/promises';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import type { RetryPolicy } from './retry-policy.js';

export type HandlingOutcome =
  | { readonly handled: true; readonly attempts: number }
  | { readonly handled: false; readonly attempts: number; readonly error: unknown };

export interface FailedAttempt {
  readonly attempt: number;
  readonly error: unknown;
  /** `undefined` when no attempt is left. */
  readonly retryInMs: number | undefined;
}

/**
 * Runs the consumer's handler until it succeeds or the policy's attempts are spent. It never throws: the
 * caller decides what a spent record means (the listener containers send it to the dead-letter topic).
 */
export async function handleWithRetries(
  consumer: MessageConsumer,
  message: InboundMessage,
  policy: RetryPolicy,
  onFailedAttempt: (failure: FailedAttempt) => void,
): Promise<HandlingOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.handle(message);
      return { handled: true, attempts: attempt };
    } catch (error) {
      const retryInMs = policy.backoffAfter(attempt);
      onFailedAttempt({ attempt, error, retryInMs });
      if (retryInMs === undefined) return { handled: false, attempts: attempt, error };
      await sleep(retryInMs);
    }
  }
}
