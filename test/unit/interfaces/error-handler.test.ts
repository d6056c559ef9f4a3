import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { IssueRequestNotFound } from '../../../src/application/coupon-campaign/issue-requests/issue-request-errors.js';
import {
  CampaignClosed,
  CampaignNotFound,
  CampaignSoldOut,
} from '../../../src/domain/coupon-campaign/coupon-campaign-errors.js';
import { errorHandler } from '../../../src/interfaces/http/error-handler.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

/** Runs the error handler on one error, with just enough of a request and a response to record the reply. */
function handle(error: unknown, { socketDestroyed = false } = {}) {
  const logger = new RecordingLogger();
  const reply: { status?: number; body?: unknown } = {};
  const request = {
    method: 'POST',
    originalUrl: '/orders',
    get: () => undefined,
    socket: { destroyed: socketDestroyed },
  };
  const response = {
    locals: { requestId: 'req-1' },
    status(status: number) {
      reply.status = status;
      return this;
    },
    json(body: unknown) {
      reply.body = body;
      return this;
    },
  };
  errorHandler(logger)(
    error,
    request as unknown as Request,
    response as unknown as Response,
    () => undefined,
  );
  return { reply, logger };
}

// Errors that say which HTTP status they mean, as express's own modules raise them (the http-errors convention).
const httpError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('errorHandler, for errors that carry an HTTP status', () => {
  it('answers a 4xx marked `expose` with its status and its message, and logs it as info', () => {
    const { reply, logger } = handle(httpError('range 9-5 is backwards', { status: 416, expose: true }));

    expect(reply).toEqual({
      status: 416,
      body: { error: { code: 'RANGE_NOT_SATISFIABLE', message: 'range 9-5 is backwards' } },
    });
    expect(logger.entries.map((entry) => entry.level)).toEqual(['info']);
  });

  it('keeps the message of a 4xx not marked `expose` to itself', () => {
    const { reply } = handle(httpError('parser state 7 at /srv/app/node_modules/x.js', { statusCode: 400 }));

    expect(reply).toEqual({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Bad Request' } } });
  });

  it('treats a 5xx as ours: a blanket 500, logged as an error', () => {
    const error = httpError('pool exhausted', { status: 503, expose: false });

    const { reply, logger } = handle(error);

    expect(reply.status).toBe(500);
    expect(logger.entries).toEqual([
      { level: 'error', message: 'request failed unexpectedly', fields: { err: error, requestId: 'req-1' } },
    ]);
  });

  it('logs a 5xx as an error even when the client has gone too: the failure is still ours', () => {
    const error = httpError('pool exhausted', { status: 503, expose: false });

    const { logger } = handle(error, { socketDestroyed: true });

    expect(logger.entries.map((entry) => [entry.level, entry.message])).toEqual([
      ['error', 'request failed unexpectedly'],
    ]);
  });

  it.each([
    ['aborted', httpError('request aborted', { status: 400, expose: true, type: 'request.aborted' }), false],
    ['reset', httpError('read ECONNRESET', { status: 400, expose: true, code: 'ECONNRESET' }), false],
    ['timed out', httpError('socket closed', { status: 400, expose: true }), true],
  ])('says in one info line that a client went away (%s), and answers no one', (_case, error, destroyed) => {
    const { reply, logger } = handle(error, { socketDestroyed: destroyed });

    expect(reply).toEqual({});
    expect(logger.entries).toEqual([
      {
        level: 'info',
        message: 'client went away before sending the whole request',
        fields: { requestId: 'req-1', method: 'POST', path: '/orders', reason: error.message },
      },
    ]);
  });
});

describe('errorHandler, for the errors of the coupon rush', () => {
  it.each([
    [new CampaignNotFound(9), 404, 'CAMPAIGN_NOT_FOUND'],
    [new IssueRequestNotFound(1, 'request-a'), 404, 'ISSUE_REQUEST_NOT_FOUND'],
    [new CampaignClosed(1, 'it closed at 2026-11-21T10:00:00.000Z'), 409, 'CAMPAIGN_CLOSED'],
    [new CampaignSoldOut(1), 409, 'CAMPAIGN_SOLD_OUT'],
  ])('answers %s with %i', (error, status, code) => {
    const { reply } = handle(error);

    expect(reply).toEqual({ status, body: { error: { code, message: error.message } } });
  });
});
