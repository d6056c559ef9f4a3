import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { z } from 'zod';
import { Database } from '../../src/infrastructure/persistence/mikro-orm/database.js';
import { apiOperations } from '../../src/interfaces/http/openapi/api-operations.js';
import { openApiDocument, type OpenApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';
import { campaignIdParam } from '../../src/interfaces/http/coupon-campaigns/coupon-campaign-requests.js';
import { placeOrderBody } from '../../src/interfaces/http/orders/order-requests.js';
import {
  checkAgainstDocument,
  documentAccepts,
  documentedOperations,
  documentedResponses,
  servedOperations,
} from '../support/api-document.js';
import { startTestService, type TestService } from '../support/test-service.js';

// The API page and its files describe the API; they are not part of it. /metrics is for Prometheus, in
// its text format (chapter 12, "Metrics").
const notInTheDocument = ['GET /api-docs', 'GET /api-docs/{asset}', 'GET /openapi.json', 'GET /metrics'];

describe('the OpenAPI document (GET /openapi.json)', () => {
  let shop: TestService;
  let document: OpenApiDocument;
  beforeAll(async () => {
    shop = await startTestService();
    document = (await request(shop.http).get('/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => shop.stop());

  it('is the document generated from the operations, in OpenAPI 3.1', () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document).toEqual(openApiDocument(apiOperations));
  });

  it('describes every route the app serves, and the app serves every operation it describes', () => {
    const served = servedOperations(shop.http).filter((operation) => !notInTheDocument.includes(operation));

    expect(documentedOperations(document)).toEqual(served);
  });

  it('describes requests as validation reads them: a campaign id is the digits of the URL', () => {
    const parameter = document.paths['/coupon-campaigns/{id}/issue-requests']?.['post']?.parameters[0];

    expect(parameter).toMatchObject({ name: 'id', in: 'path', schema: { type: 'string' } });
    const documentSays = z.fromJSONSchema(parameter!['schema'] as z.core.JSONSchema.JSONSchema);
    for (const id of ['1', '42', 'one', '1.5', '-1', '']) {
      expect([id, documentSays.safeParse(id).success]).toEqual([id, campaignIdParam.safeParse(id).success]);
    }
  });

  it('accepts the example body it offers for POST /orders, as validation does', () => {
    const content = document.paths['/orders']?.['post']?.requestBody?.['content'] as {
      'application/json': { schema: z.core.JSONSchema.JSONSchema; example: unknown };
    };
    const { schema, example } = content['application/json'];

    expect(z.fromJSONSchema(schema).safeParse(example).success).toBe(true);
    expect(placeOrderBody.safeParse(example).success).toBe(true);
    expect(z.fromJSONSchema(schema).safeParse({ ...(example as object), couponID: 1 }).success).toBe(false);
  });

  it('shows only example responses that its own schemas accept', () => {
    const examples = Object.values(document.paths)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => Object.values(operation.responses))
      .map((response) => response.content['application/json'])
      .filter((content) => content.example !== undefined);

    expect(examples.length).toBeGreaterThan(0);
    for (const { schema, example } of examples) {
      expect([example, z.fromJSONSchema(schema).safeParse(example).success]).toEqual([example, true]);
    }
  });

  it('refuses a response body that drifted from it: a field added, one missing, one of another type', async () => {
    const order = (
      await request(shop.http)
        .get(`/orders/${await placeAnOrder(shop)}`)
        .expect(200)
    ).body as Record<string, unknown>;
    const { paidAmount: _left, ...withoutPaidAmount } = order;

    expect(documentAccepts(document, 'GET /orders/{id} → 200', order)).toBe(true);
    expect(documentAccepts(document, 'GET /orders/{id} → 200', { ...order, note: 'new field' })).toBe(false);
    expect(documentAccepts(document, 'GET /orders/{id} → 200', withoutPaidAmount)).toBe(false);
    expect(documentAccepts(document, 'GET /orders/{id} → 200', { ...order, paidAmount: '73000' })).toBe(
      false,
    );
  });
});

describe('the real responses of every endpoint are as the document describes them', () => {
  let shop: TestService;
  let direct: TestService;
  let document: OpenApiDocument;
  let orderId: string;
  let issueRequestLocation: string;
  const checked: string[] = [];

  beforeAll(async () => {
    shop = await startTestService();
    direct = await startTestService({ COUPON_QUEUE: 'direct' });
    document = openApiDocument(apiOperations);
    orderId = await placeAnOrder(shop);
    const queued = await request(shop.http).post('/coupon-campaigns/2/issue-requests').send({ userId: 600 });
    issueRequestLocation = queued.headers['location']!;
    // Both consumer groups have counted the order, and the coupon-issuer has decided the request.
    await shop.service.drainEvents();
  });
  afterAll(async () => {
    await shop.stop();
    await direct.stop();
  });

  const order = { userId: 3, items: [{ productId: 1, quantity: 1 }] };
  const oversized = { ...order, note: 'x'.repeat(20_000) };
  const unknownId = '00000000-0000-4000-8000-000000000000';
  const exchanges: Array<[string, () => request.Test]> = [
    ['the catalogue', () => request(shop.http).get('/products')],
    ['the ranking', () => request(shop.http).get('/products/ranking?limit=3')],
    ['a ranking limit of 0', () => request(shop.http).get('/products/ranking?limit=0')],
    [
      'an order placed with a coupon',
      () =>
        request(shop.http)
          .post('/orders')
          .send({ ...order, couponId: 4 }),
    ],
    [
      'malformed JSON',
      () => request(shop.http).post('/orders').set('content-type', 'application/json').send('{"userId": 1,'),
    ],
    [
      'a zero quantity',
      () =>
        request(shop.http)
          .post('/orders')
          .send({ userId: 1, items: [{ productId: 1, quantity: 0 }] }),
    ],
    ['an oversized order', () => request(shop.http).post('/orders').send(oversized)],
    [
      'an order in an encoding the service does not read',
      () =>
        request(shop.http)
          .post('/orders')
          .set('content-type', 'application/json')
          .set('content-encoding', 'compress')
          .send(JSON.stringify(order)),
    ],
    [
      'an unknown user',
      () =>
        request(shop.http)
          .post('/orders')
          .send({ ...order, userId: 9_999 }),
    ],
    [
      'more than the stock',
      () =>
        request(shop.http)
          .post('/orders')
          .send({ userId: 3, items: [{ productId: 6, quantity: 11 }] }),
    ],
    ['an order', () => request(shop.http).get(`/orders/${orderId}`)],
    ['an order id that is not one', () => request(shop.http).get('/orders/42')],
    ['an order that does not exist', () => request(shop.http).get(`/orders/${unknownId}`)],
    ['the campaigns', () => request(shop.http).get('/coupon-campaigns')],
    [
      'a coupon request',
      () => request(shop.http).post('/coupon-campaigns/1/issue-requests').send({ userId: 601 }),
    ],
    [
      'a coupon issued directly (COUPON_QUEUE=direct)',
      () => request(direct.http).post('/coupon-campaigns/1/issue-requests').send({ userId: 602 }),
    ],
    [
      'a coupon request without a user',
      () => request(shop.http).post('/coupon-campaigns/1/issue-requests').send({}),
    ],
    [
      'a coupon request to an unknown campaign',
      () => request(shop.http).post('/coupon-campaigns/99/issue-requests').send({ userId: 603 }),
    ],
    [
      'a coupon request to a closed campaign',
      () => request(shop.http).post('/coupon-campaigns/4/issue-requests').send({ userId: 604 }),
    ],
    [
      'an oversized coupon request',
      () => request(shop.http).post('/coupon-campaigns/1/issue-requests').send(oversized),
    ],
    [
      'a coupon request in an encoding the service does not read',
      () =>
        request(shop.http)
          .post('/coupon-campaigns/1/issue-requests')
          .set('content-type', 'application/json')
          .set('content-encoding', 'compress')
          .send(JSON.stringify({ userId: 605 })),
    ],
    ['a decided coupon request', () => request(shop.http).get(issueRequestLocation)],
    [
      'a coupon request id that is not one',
      () => request(shop.http).get('/coupon-campaigns/2/issue-requests/42'),
    ],
    [
      'a coupon request that does not exist',
      () => request(shop.http).get(`/coupon-campaigns/2/issue-requests/${unknownId}`),
    ],
    ['health, all UP', () => request(shop.http).get('/health')],
  ];

  it.each(exchanges)('%s', async (_exchange, send) => {
    const { response: described, problems } = checkAgainstDocument(document, await send());

    checked.push(described);
    expect({ described, problems }).toEqual({ described, problems: [] });
  });

  it('health, with the database gone: 503, as documented', async () => {
    const broken = await startTestService();
    await broken.service.container.get(Database).close();

    const response = await request(broken.http).get('/health').expect(503);

    const { response: described, problems } = checkAgainstDocument(document, response);
    checked.push(described);
    expect(problems).toEqual([]);
    await broken.stop();
  });

  // Runs after the others (Jest runs a file's tests in order): what they checked, all together.
  it('has checked every response the document describes', () => {
    expect([...new Set(checked)].sort()).toEqual(documentedResponses(document));
  });
});

describe('the API page (GET /api-docs)', () => {
  let shop: TestService;
  beforeAll(async () => (shop = await startTestService()));
  afterAll(() => shop.stop());

  it('loads the document, and every script, stylesheet and icon it names is served from the app', async () => {
    const page = await request(shop.http).get('/api-docs').expect(200).expect('content-type', /html/);

    expect(page.text).toContain("url: '/openapi.json'");
    expect(page.text).not.toMatch(/https?:\/\//); // no CDN: the page works offline
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.sort()).toEqual([
      '/api-docs/favicon-32x32.png',
      '/api-docs/swagger-ui-bundle.js',
      '/api-docs/swagger-ui.css',
    ]);
    const contentTypes = await Promise.all(
      assets.map(async (asset) => (await request(shop.http).get(asset).expect(200)).headers['content-type']),
    );
    expect(contentTypes).toEqual([
      expect.stringMatching(/^image\/png/),
      expect.stringMatching(/^application\/javascript|^text\/javascript/),
      expect.stringMatching(/^text\/css/),
    ]);
  });

  it('serves no other file of swagger-ui-dist: its own index.html would load the Petstore example', async () => {
    const response = await request(shop.http).get('/api-docs/index.html').expect(404);

    expect(response.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});

async function placeAnOrder(shop: TestService): Promise<string> {
  const placed = await request(shop.http)
    .post('/orders')
    .send({ userId: 1, items: [{ productId: 2, quantity: 1 }] })
    .expect(201);
  return (placed.body as { id: string }).id;
}
