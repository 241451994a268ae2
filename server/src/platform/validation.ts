import type { z } from 'zod';
import { validationFailed, type FieldError } from './errors.ts';

/** Turns zod issues into one entry per field, the shape every HOM client reads. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** Parses input at a boundary (GraphQL args, job payloads, CLI flags); throws VALIDATION_FAILED. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const errors = toFieldErrors(result.error.issues);
    throw validationFailed(`Invalid input: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, {
      errors,
    });
  }
  return result.data;
}
