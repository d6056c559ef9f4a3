import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../../../application/shared/logger.js';

// kafkajs warns about this on every start. Bounding the retries is deliberate (see KafkaClient): a send
// that retried forever could never be drained at shutdown.
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * Sends kafkajs's own log lines to the service's logger. Its INFO lines (connecting, joining…) go to
 * debug: the listener container tells that story in fewer, clearer lines.
 */
export function kafkaJsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp, logger: kafkajsLoggerName, ...details } = log;
      const fields = { kafkajs: namespace, ...details };
      // A heartbeat answered "rebalancing" is how a member learns of a rebalance, not a failure; the
      // listener container logs the rebalance itself.
      const isRebalanceNotice = String(details['error'] ?? '').includes('rebalancing');
      if (level === logLevel.ERROR && !isRebalanceNotice) logger.error(fields, message);
      else if (level === logLevel.WARN && message !== EXPECTED_WARNING) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}
