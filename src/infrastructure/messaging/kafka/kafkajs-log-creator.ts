import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../../../application/shared/logger.js';

// kafkajs warns about this on every start. Bounding the retries is deliberate (see KafkaClient): a send
// that retried forever could never be drained at shutdown.
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * Kafka's retriable answers that a broker gives for a few seconds after it (re)starts, or while a group or
 * a partition changes hands. kafkajs logs them at ERROR, then retries and succeeds: not failures.
 */
const TRANSIENT_ERRORS = [
  "The coordinator is loading and hence can't process requests",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server is not the leader for that topic-partition',
  'This server does not host this topic-partition',
];

/**
 * Sends kafkajs's own log lines to the service's logger. Its INFO lines (connecting, joining…) go to
 * debug: the listener container tells that story in fewer, clearer lines. Its errors that Kafka marks
 * retriable, and that kafkajs retries by itself, go to warn: only real failures are logged as errors.
 */
export function kafkaJsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp, logger: kafkajsLoggerName, ...details } = log;
      const fields = { kafkajs: namespace, ...details };
      const error = String(details['error'] ?? '');
      // A heartbeat answered "rebalancing" is how a member learns of a rebalance, not a failure; the
      // listener container logs the rebalance itself.
      const isRebalanceNotice = error.includes('rebalancing');
      const isTransient = TRANSIENT_ERRORS.some((text) => error.startsWith(text) || message.startsWith(text));
      if (level === logLevel.ERROR && isTransient) logger.warn(fields, message);
      else if (level === logLevel.ERROR && !isRebalanceNotice) logger.error(fields, message);
      else if (level === logLevel.WARN && message !== EXPECTED_WARNING) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}
