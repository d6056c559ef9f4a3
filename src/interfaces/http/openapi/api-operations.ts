import { z } from 'zod';
import {
  campaignIdParam,
  issueRequestBody,
  issueRequestIdParam,
} from '../coupon-campaigns/coupon-campaign-requests.js';
import {
  couponCampaignResponse,
  issuedCouponResponse,
  issueRequestResponse,
} from '../coupon-campaigns/coupon-campaign-responses.js';
import { errorResponse } from '../error-response.js';
import { healthResponse } from '../health/health-responses.js';
import { orderIdParam, placeOrderBody } from '../orders/order-requests.js';
import { orderResponse } from '../orders/order-responses.js';
import { rankingQuery } from '../products/product-requests.js';
import { productResponse, rankedProductResponse } from '../products/product-responses.js';

/**
 * One operation of the API: its request described by the very zod schemas its router validates with, and
 * each response by a zod schema of what the router answers. The OpenAPI document is generated from this
 * list; a test checks the list against the routes express really serves, and real responses against it.
 */
export interface ApiOperation {
  readonly method: 'get' | 'post';
  /** In OpenAPI's form: `/orders/{id}`, where express says `/orders/:id`. */
  readonly path: string;
  /** The use case it runs, by name: how generated clients will call it. */
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly pathParameters?: Readonly<Record<string, z.ZodType>>;
  readonly query?: z.ZodObject;
  readonly body?: { readonly schema: z.ZodType; readonly example: unknown };
  readonly responses: Readonly<Record<number, ApiResponse>>;
}

export interface ApiResponse {
  readonly description: string;
  readonly body: z.ZodType;
  /** A body to show on the page, where the schema alone would show placeholders. */
  readonly example?: unknown;
  /** Response headers worth knowing, by name: what each says. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error response: which codes it may carry, in words, and one of them as it really reads. */
const error = (description: string, code: string, message: string): ApiResponse => ({
  description,
  body: errorResponse,
  example: { error: { code, message } },
});

const invalidRequest = (field: string, message: string): ApiResponse => ({
  description: 'VALIDATION_FAILED: a field is missing or wrong (each one named in details)',
  body: errorResponse,
  example: {
    error: { code: 'VALIDATION_FAILED', message: `${field}: ${message}`, details: [{ field, message }] },
  },
});
/** What any request with a JSON body may get back for its body alone. */
const badBody = (field: string, message: string) => ({
  400: {
    ...invalidRequest(field, message),
    description: 'VALIDATION_FAILED (each wrong field named in details), MALFORMED_JSON or MALFORMED_BODY',
  },
  413: error(
    'PAYLOAD_TOO_LARGE: the body is over 16 kB',
    'PAYLOAD_TOO_LARGE',
    'The request body is too large',
  ),
  415: error(
    'UNSUPPORTED_ENCODING or UNSUPPORTED_CHARSET',
    'UNSUPPORTED_CHARSET',
    'Unsupported charset: send UTF-8',
  ),
});

export const apiOperations: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/products',
    operationId: 'listProducts',
    tag: 'products',
    summary: 'The catalogue, with price and stock',
    responses: { 200: { description: 'every product', body: z.array(productResponse) } },
  },
  {
    method: 'get',
    path: '/products/ranking',
    operationId: 'getProductRanking',
    tag: 'products',
    summary: 'Best sellers, as the product-ranking consumer group counted them from order events',
    query: rankingQuery,
    responses: {
      200: { description: 'the best sellers, best first', body: z.array(rankedProductResponse) },
      400: invalidRequest('limit', 'Too small: expected number to be >=1'),
    },
  },
  {
    method: 'post',
    path: '/orders',
    operationId: 'placeOrder',
    tag: 'orders',
    summary:
      'Place an order: stock, coupon and points in one transaction; its event is published after commit',
    body: {
      schema: placeOrderBody,
      example: { userId: 1, items: [{ productId: 1, quantity: 1 }] },
    },
    responses: {
      201: {
        description: 'placed and committed; the order-completed event is on its way',
        body: orderResponse,
        headers: { Location: 'where to GET the order' },
      },
      ...badBody('items[0].quantity', 'Too small: expected number to be >=1'),
      404: error(
        'USER_NOT_FOUND, PRODUCT_NOT_FOUND or COUPON_NOT_FOUND',
        'USER_NOT_FOUND',
        'User 9999 does not exist',
      ),
      409: error(
        'OUT_OF_STOCK, INSUFFICIENT_POINTS or COUPON_UNAVAILABLE',
        'OUT_OF_STOCK',
        'Product 6 has 10 in stock, 11 requested',
      ),
    },
  },
  {
    method: 'get',
    path: '/orders/{id}',
    operationId: 'getOrder',
    tag: 'orders',
    summary: 'An order, as POST /orders answered it',
    pathParameters: { id: orderIdParam },
    responses: {
      200: { description: 'the order', body: orderResponse },
      400: invalidRequest('id', 'must be an order id (a UUID)'),
      404: error(
        'ORDER_NOT_FOUND',
        'ORDER_NOT_FOUND',
        'Order 00000000-0000-4000-8000-000000000000 does not exist',
      ),
    },
  },
  {
    method: 'get',
    path: '/coupon-campaigns',
    operationId: 'listCouponCampaigns',
    tag: 'coupon campaigns',
    summary: 'Each first-come coupon campaign, with its quantity and coupons issued',
    responses: { 200: { description: 'every campaign', body: z.array(couponCampaignResponse) } },
  },
  {
    method: 'post',
    path: '/coupon-campaigns/{id}/issue-requests',
    operationId: 'requestCoupon',
    tag: 'coupon campaigns',
    summary: 'Ask for a coupon: a place in line at once; the coupon-issuer decides later',
    pathParameters: { id: campaignIdParam },
    body: { schema: issueRequestBody, example: { userId: 4 } },
    responses: {
      201: {
        description: 'COUPON_QUEUE=direct only (the benchmark’s "before" design): issued in the request',
        body: issuedCouponResponse,
      },
      202: {
        description: 'in line (asking again gives the same place); poll the Location for the outcome',
        body: issueRequestResponse,
        headers: { Location: 'where to GET this request’s status' },
      },
      ...badBody('userId', 'Invalid input: expected number, received undefined'),
      404: error(
        'CAMPAIGN_NOT_FOUND or USER_NOT_FOUND',
        'CAMPAIGN_NOT_FOUND',
        'Coupon campaign 99 does not exist',
      ),
      409: error(
        'CAMPAIGN_CLOSED, or with COUPON_QUEUE=direct CAMPAIGN_SOLD_OUT',
        'CAMPAIGN_CLOSED',
        'Coupon campaign 4 takes no requests: it closed at 2025-09-01T00:00:00.000Z',
      ),
    },
  },
  {
    method: 'get',
    path: '/coupon-campaigns/{id}/issue-requests/{requestId}',
    operationId: 'getIssueRequest',
    tag: 'coupon campaigns',
    summary: 'Where a coupon request stands: WAITING, then ISSUED (with its couponId) or SOLD_OUT',
    pathParameters: { id: campaignIdParam, requestId: issueRequestIdParam },
    responses: {
      200: { description: 'the request and its status', body: issueRequestResponse },
      400: invalidRequest('requestId', 'must be an issue request id (a UUID)'),
      404: error(
        'ISSUE_REQUEST_NOT_FOUND',
        'ISSUE_REQUEST_NOT_FOUND',
        'Coupon campaign 2 has no issue request 00000000-0000-4000-8000-000000000000',
      ),
    },
  },
  {
    method: 'get',
    path: '/health',
    operationId: 'checkHealth',
    tag: 'operations',
    summary: 'Whether the database, the event publisher (and Redis, if used) answer',
    responses: {
      200: { description: 'every component is UP', body: healthResponse },
      503: { description: 'a component is DOWN (its details say why)', body: healthResponse },
    },
  },
];
