import type { Express } from 'express';
import type { Response } from 'supertest';
import { z } from 'zod';
import type { OpenApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';

/** What express keeps of each `app.use(...)`, `router.route(...)` and `app.get(...)`: its internals. */
interface ExpressLayer {
  readonly rawPath?: string;
  readonly route?: { readonly path: string; readonly methods: Readonly<Record<string, boolean>> };
  readonly handle: { readonly stack?: readonly ExpressLayer[] };
}

/**
 * Every route the app serves, as `GET /orders/{id}`, found by walking its routers (and the routers
 * mounted in them). A route's `.all(...)` (the 405 answer) is not an operation of its own.
 */
export function servedOperations(app: Express): string[] {
  const walk = (stack: readonly ExpressLayer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const path = openApiPath(prefix + layer.route.path);
        return Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${path}`);
      }
      if (layer.handle.stack) {
        return walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? '')));
      }
      return [];
    });
  const root = app.router as unknown as { stack: readonly ExpressLayer[] };
  return walk(root.stack, '').sort();
}

/** Every operation the document describes, as `GET /orders/{id}`. */
export function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** Every response the document describes, as `POST /orders → 201`. */
export function documentedResponses(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.keys(operation.responses).map((status) => `${method.toUpperCase()} ${path} → ${status}`),
      ),
    )
    .sort();
}

export interface DocumentCheck {
  /** The response the document describes for this request's operation and status, as `GET /orders/{id} → 200`. */
  readonly response: string;
  /** Where the body differs from the document's schema, and documented headers the response lacks; [] if none. */
  readonly problems: string[];
}

/**
 * Checks a real response against the document: its operation found by method and path, its body
 * validated by the document's JSON Schema (read back with zod's `z.fromJSONSchema`, so it is the
 * document that is checked, not the zod schemas it was made from).
 */
export function checkAgainstDocument(document: OpenApiDocument, response: Response): DocumentCheck {
  const { method, path: pathAndQuery } = (response as unknown as { req: { method: string; path: string } })
    .req;
  const path = pathAndQuery.split('?')[0]!;
  const template = Object.keys(document.paths).find((candidate) => matches(candidate, path));
  const described = template && document.paths[template]?.[method.toLowerCase()]?.responses[response.status];
  const name = `${method} ${template ?? path} → ${response.status}`;
  if (!described) return { response: name, problems: ['the document does not describe this response'] };

  const validation = z.fromJSONSchema(described.content['application/json'].schema).safeParse(response.body);
  const bodyProblems = validation.success
    ? []
    : validation.error.issues.map((issue) => `body.${issue.path.join('.')}: ${issue.message}`);
  const missingHeaders = Object.keys(described.headers)
    .filter((header) => response.headers[header.toLowerCase()] === undefined)
    .map((header) => `header ${header} is missing`);
  return { response: name, problems: [...bodyProblems, ...missingHeaders] };
}

/** The same check for a body of one's own: does the document's schema for that response accept it? */
export function documentAccepts(document: OpenApiDocument, response: string, body: unknown): boolean {
  const [method, path, , status] = response.split(' ') as [string, string, string, string];
  const described = document.paths[path]?.[method.toLowerCase()]?.responses[status];
  if (!described) throw new Error(`The document does not describe ${response}`);
  return z.fromJSONSchema(described.content['application/json'].schema).safeParse(body).success;
}

const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

function matches(template: string, path: string): boolean {
  const pattern = template.replace(/\{\w+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}
