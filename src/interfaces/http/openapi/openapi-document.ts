import { z } from 'zod';
import { acceptableRequestId } from '../request-tracking.js';
import type { ApiOperation, ApiResponse } from './api-operations.js';

type JsonSchema = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document this service fills in. */
export interface OpenApiDocument {
  readonly openapi: '3.1.1';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly parameters: readonly JsonSchema[];
  readonly requestBody?: JsonSchema;
  readonly responses: Record<string, OpenApiResponse>;
}

interface OpenApiResponse {
  readonly description: string;
  readonly headers: Record<string, JsonSchema>;
  readonly content: {
    readonly 'application/json': { readonly schema: JsonSchema; readonly example?: unknown };
  };
}

/**
 * The OpenAPI document of the operations, generated from their zod schemas when the app starts, so it
 * says what the validation does. No `servers`: the page's "Try it out" then calls the app that served it.
 */
export function openApiDocument(operations: readonly ApiOperation[]): OpenApiDocument {
  const paths: Record<string, Record<string, OpenApiOperation>> = {};
  for (const operation of operations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: describe(operation) };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Order service',
      version: '1.0.0',
      description:
        'The HTTP API of the Kafka hexagonal order service. Errors are `{"error": {"code", "message"}}`.',
    },
    paths,
  };
}

/** Every request may name itself; every response says the id its log lines carry (request-tracking.ts). */
const requestIdParameter = {
  name: 'x-request-id',
  in: 'header',
  required: false,
  description:
    'your id for this request, echoed back and carried by its log lines; another is made if absent',
  schema: { type: 'string', pattern: acceptableRequestId.source },
};
const requestIdHeader = {
  description: 'the request id: the one sent, or the one made for it',
  schema: { type: 'string' },
};

function describe(operation: ApiOperation): OpenApiOperation {
  const pathParameters = Object.entries(operation.pathParameters ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: requestSchema(schema),
  }));
  const queryParameters = operation.query ? queryParametersOf(operation.query) : [];
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [status, describeResponse(response)]),
  );
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    parameters: [...pathParameters, ...queryParameters, requestIdParameter],
    ...(operation.body && {
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: requestSchema(operation.body.schema),
            example: operation.body.example,
          },
        },
      },
    }),
    responses,
  };
}

/** Each field of a query object is a parameter of its own in OpenAPI. */
function queryParametersOf(query: z.ZodObject): JsonSchema[] {
  const schema = requestSchema(query) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function describeResponse(response: ApiResponse): OpenApiResponse {
  const headers = Object.entries(response.headers ?? {}).map(([name, description]): [string, JsonSchema] => [
    name,
    { description, schema: { type: 'string' } },
  ]);
  const schema = responseSchema(response.body);
  return {
    description: response.description,
    headers: { 'x-request-id': requestIdHeader, ...Object.fromEntries(headers) },
    content: {
      'application/json': response.example === undefined ? { schema } : { schema, example: response.example },
    },
  };
}

/**
 * What a client may send: the schema's input side, before its transforms and defaults (a campaign id
 * is the digits of the URL, not yet a number; `limit` may be left out).
 */
function requestSchema(schema: z.ZodType): JsonSchema {
  return jsonSchema(schema, 'input');
}

/** What the service answers: the output side. Objects list every field, and no other. */
function responseSchema(schema: z.ZodType): JsonSchema {
  return jsonSchema(schema, 'output');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // A type JSON Schema cannot express (a Date, a bigint) throws here, at start-up, rather than being
  // described as "anything" (unrepresentable: 'any').
  const converted: JsonSchema = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'throw',
    override: ({ jsonSchema }) => {
      // z.int() is bounded to the safe integers; JSON's "integer" says enough, and the bounds would
      // make the page's example values read -9007199254740991.
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  // `$schema` names JSON Schema's dialect; inside an OpenAPI 3.1 document that is already implied.
  const { $schema: _dialect, ...schemaObject } = converted;
  return schemaObject;
}
