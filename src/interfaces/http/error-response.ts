import { z } from 'zod';

/**
 * The body of every error the API answers (see error-handler.ts): a code to branch on, a message for
 * people, and, for VALIDATION_FAILED, the fields that were wrong.
 */
export const errorResponse = z.object({
  error: z.object({
    code: z.string().meta({ example: 'VALIDATION_FAILED' }),
    message: z.string(),
    details: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'VALIDATION_FAILED only: each field that was wrong, and why' }),
  }),
});
