import { ApiError } from './api.ts';

/** The server's message for a failed call, or a plain fallback for network trouble. */
export function problemText(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message || fallback;
  return fallback;
}

/** Field-level problems from a 4xx body, keyed by field name ("body.password" → "password"). */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(
    error.fieldProblems.map((problem) => [
      problem.field.replace(/^(body|querystring|params)\./, ''),
      problem.message,
    ]),
  );
}
