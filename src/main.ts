import { ConfigError, loadConfig } from './infrastructure/config/config.js';
import { OrderService } from './infrastructure/di/order-service.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.stdout.isTTY);
  const service = await OrderService.start(config);
  await service.listen(config.port);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal} received: finishing in-flight work, then exiting`);
    setTimeout(() => {
      console.error(`still busy after ${SHUTDOWN_TIMEOUT_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('order service failed to start:', error);
  }
  process.exit(1);
});
