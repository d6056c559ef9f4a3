import type { z } from 'zod';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The request is not what the API accepts; nothing was read from or written to the database. */
export class RequestValidationError extends Error {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  root: string,
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.map((issue) => ({ field: fieldName(root, issue.path), message: issue.message })),
  );
}

/** `['items', 0, 'quantity']` → `items[0].quantity`; an issue about the whole body is named after the root. */
function fieldName(root: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return root;
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
