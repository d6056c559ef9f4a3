import express, { type Express } from 'express';
import type { CheckHealth } from '../../application/health/check-health.js';
import type { GetOrder } from '../../application/order/get-order/get-order.js';
import type { PlaceOrder } from '../../application/order/place-order/place-order.js';
import type { ListProducts } from '../../application/product/list-products/list-products.js';
import type { GetProductRanking } from '../../application/product/ranking/get-product-ranking.js';
import type { Logger } from '../../application/shared/logger.js';
import type { RequestContext } from '../../application/shared/request-context.js';
import {
  couponCampaignsRouter,
  type CouponCampaignsUseCases,
} from './coupon-campaigns/coupon-campaigns-router.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRouter } from './health/health-router.js';
import { metricsRouter, type MetricsText } from './metrics/metrics-router.js';
import { timeRequests, type ObserveRequest } from './metrics/request-timing.js';
import { apiDocsRouter } from './openapi/api-docs-router.js';
import { ordersRouter } from './orders/orders-router.js';
import { productsRouter } from './products/products-router.js';
import { assignRequestId, bindRequestContext, logRequests } from './request-tracking.js';

export interface HttpAppDependencies {
  readonly placeOrder: PlaceOrder;
  readonly getOrder: GetOrder;
  readonly listProducts: ListProducts;
  readonly getProductRanking: GetProductRanking;
  readonly checkHealth: CheckHealth;
  readonly couponCampaigns: CouponCampaignsUseCases;
  readonly requestContext: RequestContext;
  readonly logger: Logger;
  /** Where each request's timing goes, and what `GET /metrics` answers. */
  readonly metrics: { readonly observeRequest: ObserveRequest; readonly read: () => Promise<MetricsText> };
}

/** The HTTP inbound adapter: turns requests into use-case calls and results (or errors) into JSON. */
export function createHttpApp(dependencies: HttpAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId());
  app.use(logRequests(dependencies.logger, ['/health', '/metrics']));
  app.use(timeRequests(dependencies.metrics.observeRequest));
  app.use(express.json({ limit: '16kb' }));
  app.use(bindRequestContext(dependencies.requestContext));

  app.use(productsRouter(dependencies.listProducts, dependencies.getProductRanking));
  app.use(ordersRouter(dependencies.placeOrder, dependencies.getOrder));
  app.use(couponCampaignsRouter(dependencies.couponCampaigns));
  app.use(healthRouter(dependencies.checkHealth));
  app.use(metricsRouter(dependencies.metrics.read));
  app.use(apiDocsRouter());

  app.use(notFoundHandler());
  app.use(errorHandler(dependencies.logger));
  return app;
}
