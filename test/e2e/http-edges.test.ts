import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { waitFor } from '../../scripts/support/wait-for.mjs';
import { startTestService, type TestService } from '../support/test-service.js';

// Bad input a tester tried on the embedded default: each is the client's fault, so each gets a 4xx in
// the API's error shape, and none is logged as a failure of ours (level 50, with a stack).
describe('HTTP edges', () => {
  let shop: TestService;
  let baseUrl: string;
  beforeAll(async () => {
    shop = await startTestService();
    baseUrl = `http://127.0.0.1:${await shop.service.listen(0)}`;
  });
  afterAll(() => shop.stop());

  let requestCount = 0;
  const nextRequestId = () => `req-edge-${(requestCount += 1)}`;
  const linesOf = (requestId: string) => shop.logs.filter((line) => line['requestId'] === requestId);

  /** What the service logged about one request: never an error, never a stack. */
  const expectLoggedAsClientError = (requestId: string) => {
    const lines = linesOf(requestId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => Number(line['level']) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('"stack"');
  };

  // fetch, not supertest: superagent does not send a Buffer untouched under a Content-Encoding.
  const get = (path: string) => (requestId: string) =>
    fetch(`${baseUrl}${path}`, { headers: { 'x-request-id': requestId } });
  const postOrderEncoded = (encoding: string, body: Buffer) => (requestId: string) =>
    fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': encoding,
        'x-request-id': requestId,
      },
      body,
    });
  const order = JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }] });

  describe('a URL or body the service cannot read', () => {
    const unreadable: Array<[string, (requestId: string) => Promise<Response>, number, string, string]> = [
      ['a lone % in the path', get('/orders/%'), 400, 'MALFORMED_URL', 'URL'],
      ['%ZZ in the path', get('/orders/%ZZ'), 400, 'MALFORMED_URL', 'URL'],
      [
        'a corrupt gzip body',
        postOrderEncoded('gzip', Buffer.from('this is not gzip')),
        400,
        'MALFORMED_BODY',
        'gzip',
      ],
      [
        'a gzip body cut short',
        postOrderEncoded('gzip', gzipSync(order).subarray(0, 12)),
        400,
        'MALFORMED_BODY',
        'gzip',
      ],
      [
        'a corrupt deflate body',
        postOrderEncoded('deflate', Buffer.from('this is not deflate')),
        400,
        'MALFORMED_BODY',
        'deflate',
      ],
      [
        'a corrupt br body',
        postOrderEncoded('br', Buffer.from('this is not brotli, not at all')),
        400,
        'MALFORMED_BODY',
        'br',
      ],
      [
        'an encoding the service does not read',
        postOrderEncoded('compress', Buffer.from(order)),
        415,
        'UNSUPPORTED_ENCODING',
        'compress',
      ],
    ];

    it.each(unreadable)('%s', async (_case, send, status, code, message) => {
      const requestId = nextRequestId();
      const before = await shop.snapshot();

      const response = await send(requestId);

      expect(response.status).toBe(status);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe(code);
      expect(error.message).toContain(message);
      expectLoggedAsClientError(requestId);
      expect(await shop.snapshot()).toEqual(before);
    });

    it('does not repeat the framework’s own words for an error it did not mean for the client', async () => {
      const response = await request(shop.http).get('/orders/%').expect(400);

      // express's message for this one ("Failed to decode param '%'") is not marked `expose`.
      expect(response.body.error.message).not.toContain('Failed to decode');
    });

    it('still reads a gzip body that is whole', async () => {
      const response = await postOrderEncoded('gzip', gzipSync(order))(nextRequestId());

      expect(response.status).toBe(201);
    });
  });

  describe('a client that goes away mid-request', () => {
    it('is logged as one line saying so, not as an error', async () => {
      const requestId = nextRequestId();

      const post = httpRequest(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 1000, 'x-request-id': requestId },
      });
      post.on('error', () => undefined); // the socket we destroy below
      post.write('{"userId": 1,');
      await new Promise((resolve) => setTimeout(resolve, 200)); // time for the service to start reading it
      post.destroy();

      await waitFor('the service to notice', () =>
        linesOf(requestId).some((line) => line.msg.includes('client went away')),
      );
      const lines = linesOf(requestId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 30, method: 'POST', path: '/orders' });
      expectLoggedAsClientError(requestId);
    });
  });

  describe('a method the route does not have', () => {
    const routes: Array<[string, string, string]> = [
      ['PUT', '/orders', 'POST'],
      ['PATCH', '/orders', 'POST'],
      ['DELETE', '/orders', 'POST'],
      ['GET', '/orders', 'POST'],
      ['DELETE', '/orders/8a7c2f36-5c5e-4a43-9a1e-0c6f1f1c2b11', 'GET, HEAD'],
      ['PUT', '/products', 'GET, HEAD'],
      ['POST', '/products/ranking', 'GET, HEAD'],
      ['DELETE', '/health', 'GET, HEAD'],
    ];

    it.each(routes)('%s %s answers 405 and allows %s', async (method, path, allowed) => {
      const response = await request(shop.http)
        [method.toLowerCase() as 'put' | 'patch' | 'delete' | 'get' | 'post'](path)
        .expect(405);

      expect(response.headers['allow']).toBe(allowed);
      expect(response.body).toEqual({
        error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}; use ${allowed}` },
      });
    });

    it('still answers OPTIONS with what is allowed', async () => {
      const response = await request(shop.http).options('/orders').expect(204);

      expect(response.headers['allow']).toBe('POST');
    });
  });
});
