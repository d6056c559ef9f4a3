import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ApiOperation } from '../../../src/interfaces/http/openapi/api-operations.js';
import { openApiDocument } from '../../../src/interfaces/http/openapi/openapi-document.js';

const operation = (overrides: Partial<ApiOperation>): ApiOperation => ({
  method: 'get',
  path: '/things/{id}',
  operationId: 'getThing',
  tag: 'things',
  summary: 'A thing',
  responses: { 200: { description: 'the thing', body: z.object({ name: z.string() }) } },
  ...overrides,
});

describe('openApiDocument', () => {
  it('refuses, at start-up, a schema JSON Schema cannot express, rather than describe it as anything', () => {
    const withADate = operation({
      responses: { 200: { description: 'the thing', body: z.object({ madeAt: z.date() }) } },
    });

    expect(() => openApiDocument([withADate])).toThrow(/Date cannot be represented in JSON Schema/);
  });

  it('describes a parameter by what the client sends, a response by what the service answers', () => {
    const [thing] = Object.values(
      openApiDocument([
        operation({
          pathParameters: { id: z.string().regex(/^\d+$/).transform(Number) },
          query: z.object({ limit: z.coerce.number().int().default(10) }),
          responses: { 200: { description: 'the thing', body: z.object({ id: z.int() }) } },
        }),
      ]).paths['/things/{id}']!,
    );

    expect(thing!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 10 } },
      expect.objectContaining({ name: 'x-request-id', in: 'header', required: false }),
    ]);
    expect(thing!.responses['200']!.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' } },
      required: ['id'],
      additionalProperties: false,
    });
  });
});
