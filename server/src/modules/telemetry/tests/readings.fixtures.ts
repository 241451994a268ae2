import type { LightMyRequestResponse } from 'fastify';

/** An ISO instant `minutes` before now (negative: ahead). */
export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

export function errorCode(response: LightMyRequestResponse): string | undefined {
  return (response.json() as { error_code?: string }).error_code;
}
