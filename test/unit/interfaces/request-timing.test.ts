import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { timeRequests, type RequestTiming } from '../../../src/interfaces/http/metrics/request-timing.js';

/** Runs the middleware on one request, with what Express would have set by the time the response is sent. */
function timeOneRequest(
  request: { method: string; baseUrl: string; route?: { path: string } },
  status: number,
) {
  const timings: RequestTiming[] = [];
  const response = Object.assign(new EventEmitter(), { statusCode: status });
  let nextCalled = false;
  timeRequests((timing) => timings.push(timing))(
    request as unknown as Request,
    response as unknown as Response,
    () => {
      nextCalled = true;
    },
  );
  expect(nextCalled).toBe(true);
  expect(timings).toEqual([]); // nothing is observed before the response is sent
  response.emit('finish');
  return timings;
}

describe('timeRequests', () => {
  it('labels a request with the pattern of the route that served it, not its URL', () => {
    const [timing] = timeOneRequest({ method: 'GET', baseUrl: '', route: { path: '/orders/:id' } }, 404);

    expect(timing).toEqual({
      method: 'GET',
      route: '/orders/:id',
      status: 404,
      durationSeconds: expect.any(Number),
    });
    expect(timing?.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('prefixes the path a router is mounted on', () => {
    const [timing] = timeOneRequest({ method: 'POST', baseUrl: '/api', route: { path: '/orders' } }, 201);

    expect(timing?.route).toBe('/api/orders');
  });

  it('labels a request no route matched as "unmatched", whatever its URL', () => {
    const [timing] = timeOneRequest({ method: 'GET', baseUrl: '' }, 404);

    expect(timing).toMatchObject({ method: 'GET', route: 'unmatched', status: 404 });
  });
});
