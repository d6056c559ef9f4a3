import type { Express } from 'express';
import type { Container } from 'inversify';
import { GetIssueRequest } from '../../application/coupon-campaign/get-issue-request/get-issue-request.js';
import { IssueCouponDirectly } from '../../application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import { ListCouponCampaigns } from '../../application/coupon-campaign/list-coupon-campaigns/list-coupon-campaigns.js';
import { RequestCoupon } from '../../application/coupon-campaign/request-coupon/request-coupon.js';
import { CheckHealth } from '../../application/health/check-health.js';
import { GetOrder } from '../../application/order/get-order/get-order.js';
import { PlaceOrder } from '../../application/order/place-order/place-order.js';
import { ListProducts } from '../../application/product/list-products/list-products.js';
import { GetProductRanking } from '../../application/product/ranking/get-product-ranking.js';
import { TransactionalEventDispatcher } from '../../application/shared/events/transactional-event-dispatcher.js';
import { Logger } from '../../application/shared/logger.js';
import { RequestContext } from '../../application/shared/request-context.js';
import { createHttpApp } from '../../interfaces/http/http-app.js';
import { HttpServer } from '../../interfaces/http/http-server.js';
import { IssueRequestScheduler } from '../../interfaces/scheduling/issue-request-scheduler.js';
import type { Config, HttpConfig } from '../config/config.js';
import { RedisClient } from '../key-value/redis/redis-client.js';
import { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { ServiceMetrics } from '../observability/metrics/service-metrics.js';
import { Database } from '../persistence/mikro-orm/database.js';
import { demoDataSummary, seedDemoData } from '../persistence/mikro-orm/demo-data.js';
import { StartupError } from '../startup-error.js';
import { createContainer, resolveConsumers, type ContainerOptions } from './container.js';
import { publishingModes } from './publishing-modes.js';

/** The assembled service and its lifecycle: start, listen, and a graceful stop. */
export class OrderService {
  #server: HttpServer | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(
    readonly container: Container,
    readonly http: Express,
    readonly logger: Logger,
  ) {}

  /**
   * How `npm start` starts: it takes HOST:PORT first, so a port in use stops it before the database is
   * migrated or seeded, then starts the rest and serves the API on that port.
   */
  static async startListening(config: Config, options: ContainerOptions = {}): Promise<OrderService> {
    const server = await listenOn(config.http);
    try {
      const service = await OrderService.start(config, options);
      service.serve(server);
      return service;
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** The service without a port of its own (tests send it requests with supertest, or `listen` later). */
  static async start(config: Config, options: ContainerOptions = {}): Promise<OrderService> {
    const container = await createContainer(config, options);
    const logger = container.get(Logger);
    const database = container.get(Database);
    if (config.seedDemoData && (await seedDemoData(database))) {
      logger.info({}, `demo data seeded: ${demoDataSummary}`);
    }

    logger.info({ publisher: config.eventPublisher }, 'event publisher bound');
    const { startupWarning } = publishingModes[config.eventPublisher];
    if (startupWarning) logger.warn({ publisher: config.eventPublisher }, startupWarning);
    if (config.couponQueue.type === 'direct') {
      logger.warn({ couponQueue: config.couponQueue.type }, DIRECT_COUPON_ISSUING_WARNING);
    }
    const redis = container.isBound(RedisClient) ? container.get(RedisClient) : undefined;
    const messaging = container.get(MessagingRuntime);
    try {
      // Before the consumers and the scheduler: the first record or step may need Redis.
      await redis?.connect();
      await messaging.start(resolveConsumers(container));
    } catch (error) {
      // Let go of whatever did start, so a failed start leaves nothing running behind it.
      await messaging.stop().catch(() => undefined);
      await redis?.close().catch(() => undefined);
      await database.close();
      throw error;
    }
    // After the messaging runtime: the scheduler publishes onto it.
    if (config.couponQueue.type !== 'direct') container.get(IssueRequestScheduler).start();

    const metrics = container.get(ServiceMetrics);
    const http = createHttpApp({
      placeOrder: container.get(PlaceOrder),
      getOrder: container.get(GetOrder),
      listProducts: container.get(ListProducts),
      getProductRanking: container.get(GetProductRanking),
      checkHealth: container.get(CheckHealth),
      couponCampaigns: {
        listCouponCampaigns: container.get(ListCouponCampaigns),
        requestCoupon: container.get(RequestCoupon),
        getIssueRequest: container.get(GetIssueRequest),
        issueCouponDirectly:
          config.couponQueue.type === 'direct' ? container.get(IssueCouponDirectly) : undefined,
      },
      requestContext: container.get(RequestContext),
      logger,
      metrics: {
        observeRequest: (timing) => metrics.observeHttpRequest(timing),
        read: () => metrics.scrape(),
      },
    });
    return new OrderService(container, http, logger);
  }

  /** Serves the API on a port of its own; returns the port (the one the system picked, for port 0). */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = await listenOn({ port, host });
    this.serve(server);
    return server.address.port;
  }

  private serve(server: HttpServer): void {
    server.serve(this.http);
    this.#server = server;
    this.logger.info(server.address, `listening on ${server.url}`);
  }

  /**
   * Resolves once every event committed so far has been published and handled by every consumer, and every
   * coupon request queued so far has been through the queue (the end of a rush).
   */
  async drainEvents(): Promise<void> {
    await this.container.get(TransactionalEventDispatcher).drain();
    await this.container.get(IssueRequestScheduler).drain();
    await this.container.get(MessagingRuntime).drain();
  }

  /**
   * Stops in dependency order: no new requests → in-flight requests finish → after-commit listeners
   * finish → the coupon scheduler's step in hand finishes → consumers finish → Redis and the database
   * close. Nothing that was committed is cut off halfway.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.shutDown();
    return this.#stopping;
  }

  private async shutDown(): Promise<void> {
    await this.#server?.close();
    await this.container.get(TransactionalEventDispatcher).drain();
    await this.container.get(IssueRequestScheduler).stop();
    await this.container.get(MessagingRuntime).stop();
    if (this.container.isBound(RedisClient)) await this.container.get(RedisClient).close();
    await this.container.get(Database).close();
    this.logger.info({}, 'stopped');
  }
}

const DIRECT_COUPON_ISSUING_WARNING =
  'COUPON_QUEUE=direct is the anti-pattern the benchmark measures: every coupon request issues its coupon ' +
  "inside the HTTP request, and the whole rush queues on the campaign's row lock. Use in-memory or redis.";

/** Takes the port, or says which setting to change. */
async function listenOn({ port, host }: HttpConfig): Promise<HttpServer> {
  try {
    return await HttpServer.listen(port, host);
  } catch (error) {
    const reason = listenFailures[(error as NodeJS.ErrnoException).code ?? ''];
    if (reason === undefined) throw error;
    throw new StartupError(reason(port, host), { cause: error });
  }
}

const listenFailures: Readonly<Record<string, (port: number, host: string) => string>> = {
  EADDRINUSE: (port, host) =>
    `PORT ${port} is already in use on ${host}: stop the other process, or start with PORT=<another port>.`,
  EACCES: (port) => `PORT ${port} needs privileges this process does not have: use a port above 1023.`,
  EADDRNOTAVAIL: (_port, host) =>
    `HOST ${host} is not an address of this machine: use 127.0.0.1 (this machine only) or 0.0.0.0 (every ` +
    'interface).',
  ENOTFOUND: (_port, host) =>
    `HOST ${host} is not a name this machine can resolve: use 127.0.0.1 (this machine only) or 0.0.0.0 ` +
    '(every interface).',
};
