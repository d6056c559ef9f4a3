import { loadConfig } from './infrastructure/config/config.js';
import { OrderService } from './infrastructure/di/order-service.js';
import { stopTracing } from './infrastructure/observability/tracing/tracing-shutdown.js';
import { StartupError } from './infrastructure/startup-error.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.stdout.isTTY);
  const service = await OrderService.startListening(config);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, 'shutting down: no new requests, finishing in-flight work');
    setTimeout(() => {
      service.logger.error(
        { timeoutMs: SHUTDOWN_TIMEOUT_MS },
        'still busy at the shutdown deadline: exiting anyway',
      );
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    // Tracing stops last: the spans of the shutdown's own work are sent too.
    service
      .stop()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          service.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error('order service failed to start:', error);
  }
  process.exit(1);
});
