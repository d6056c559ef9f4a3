import type { Container, Newable } from 'inversify';
import { IssueRequestQueue } from '../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import { TransactionalEventDispatcher } from '../../application/shared/events/transactional-event-dispatcher.js';
import { Logger } from '../../application/shared/logger.js';
import type { MessageConsumer } from '../../application/shared/messaging/message-consumer.js';
import { OrderCompleted } from '../../domain/order/order-completed.js';
import type { Fault } from '../config/config.js';
import { CrashAfterCommit, CrashAfterTakingRequests, CrashWhileConsuming } from './crash-points.js';

/**
 * Test-only: installs the crash points TEST_FAULT_INJECTION names, and does nothing without it. The
 * composition root calls it before it subscribes any listener, so `CrashAfterCommit` runs ahead of them.
 */
export function installFaultInjection(
  container: Container,
  faults: readonly Fault[],
  consumers: readonly Newable<MessageConsumer>[],
): void {
  if (faults.length === 0) return;
  const logger = container.get(Logger);
  logger.warn({ faults }, 'TEST_FAULT_INJECTION is set: this process will kill itself');

  if (faults.some((fault) => fault.kind === 'crash-after-commit')) {
    container.get(TransactionalEventDispatcher).subscribe(OrderCompleted, new CrashAfterCommit(logger));
  }
  if (faults.some((fault) => fault.kind === 'crash-after-taking-requests')) {
    container.onActivation<IssueRequestQueue>(
      IssueRequestQueue,
      (_context, queue) => new CrashAfterTakingRequests(queue, logger),
    );
  }
  for (const consumerClass of consumers) {
    // Each consumer the container creates is wrapped, if a fault names its group.
    container.onActivation<MessageConsumer>(consumerClass, (_context, consumer) => {
      const crash = faults.find((fault) => 'groupId' in fault && fault.groupId === consumer.groupId);
      if (crash === undefined) return consumer;
      const moment = crash.kind === 'crash-before-handling' ? 'before-handling' : 'after-handling';
      return new CrashWhileConsuming(consumer, moment, logger);
    });
  }
}
