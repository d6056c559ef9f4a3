import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Container } from 'inversify';
import { CheckHealth } from '../../application/health/check-health.js';
import { GetOrder } from '../../application/order/get-order/get-order.js';
import { PlaceOrder } from '../../application/order/place-order/place-order.js';
import { ListProducts } from '../../application/product/list-products/list-products.js';
import { GetProductRanking } from '../../application/product/ranking/get-product-ranking.js';
import { TransactionalEventDispatcher } from '../../application/shared/events/transactional-event-dispatcher.js';
import { Logger } from '../../application/shared/logger.js';
import { RequestContext } from '../../application/shared/request-context.js';
import { createHttpApp } from '../../interfaces/http/http-app.js';
import type { Config } from '../config/config.js';
import { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { Database } from '../persistence/mikro-orm/database.js';
import { seedDemoData } from '../persistence/mikro-orm/demo-data.js';
import { createContainer, resolveConsumers, type ContainerOptions } from './container.js';
import { publishingModes } from './publishing-modes.js';

/** The assembled service and its lifecycle: start, listen, and a graceful stop. */
export class OrderService {
  #closeServer: (() => Promise<void>) | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(
    readonly container: Container,
    readonly http: Express,
    readonly logger: Logger,
  ) {}

  static async start(config: Config, options: ContainerOptions = {}): Promise<OrderService> {
    const container = await createContainer(config, options);
    const logger = container.get(Logger);
    const database = container.get(Database);
    if (config.seedDemoData && (await seedDemoData(database))) {
      logger.info({}, 'demo data seeded: products 1-6, users 1-3, coupons 1-4');
    }

    logger.info({ publisher: config.eventPublisher }, 'event publisher bound');
    const { startupWarning } = publishingModes[config.eventPublisher];
    if (startupWarning) logger.warn({ publisher: config.eventPublisher }, startupWarning);
    const messaging = container.get(MessagingRuntime);
    try {
      await messaging.start(resolveConsumers(container));
    } catch (error) {
      // Let go of whatever did start, so a failed start leaves nothing running behind it.
      await messaging.stop().catch(() => undefined);
      await database.close();
      throw error;
    }

    const http = createHttpApp({
      placeOrder: container.get(PlaceOrder),
      getOrder: container.get(GetOrder),
      listProducts: container.get(ListProducts),
      getProductRanking: container.get(GetProductRanking),
      checkHealth: container.get(CheckHealth),
      requestContext: container.get(RequestContext),
      logger,
    });
    return new OrderService(container, http, logger);
  }

  async listen(port: number): Promise<number> {
    const server = this.http.listen(port);
    this.#closeServer = gracefulCloser(server);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const actualPort = (server.address() as AddressInfo).port;
    this.logger.info({ port: actualPort }, `listening on http://localhost:${actualPort}`);
    return actualPort;
  }

  /** Resolves once every event committed so far has been published and handled by every consumer. */
  async drainEvents(): Promise<void> {
    await this.container.get(TransactionalEventDispatcher).drain();
    await this.container.get(MessagingRuntime).drain();
  }

  /**
   * Stops in dependency order: no new requests → in-flight requests finish → after-commit listeners
   * finish → consumers finish → the database closes. Nothing that was committed is cut off halfway.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.shutDown();
    return this.#stopping;
  }

  private async shutDown(): Promise<void> {
    if (this.#closeServer) await this.#closeServer();
    await this.container.get(TransactionalEventDispatcher).drain();
    await this.container.get(MessagingRuntime).stop();
    await this.container.get(Database).close();
    this.logger.info({}, 'stopped');
  }
}

/**
 * A graceful close for an HTTP server. `server.close()` refuses new connections but waits for open
 * keep-alive ones, and a client may keep sending new requests on those. So once closing, every response
 * not yet sent (in flight, or arriving late on an open connection) says `Connection: close`, and each
 * connection ends after it.
 */
function gracefulCloser(server: Server): () => Promise<void> {
  const unsentResponses = new Set<ServerResponse>();
  let closing = false;
  server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (closing) response.setHeader('connection', 'close');
    unsentResponses.add(response);
    response.on('close', () => unsentResponses.delete(response));
  });
  return () => {
    closing = true;
    for (const response of unsentResponses) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    return closed;
  };
}
