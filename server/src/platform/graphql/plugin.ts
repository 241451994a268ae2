import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import mercurius from 'mercurius';
import type { Actor, RequestContext } from '../auth/actor.ts';
import { AppError, type FieldError } from '../errors.ts';
import { translateDatabaseError } from '../db/errors.ts';
import { describeClientError } from '../http/error-handler.ts';
import type { Logger } from '../logger.ts';
import { createGraphQLContext } from './builder.ts';

/** Limits checked during validation, before any resolver runs. */
export const GRAPHQL_LIMITS = { maxDepth: 8, maxAliases: 15, maxCost: 400 } as const;

export interface GraphQLOptions {
  schema: GraphQLSchema;
  production: boolean;
  log: Logger;
  authenticate(credentials: { authorization?: string }): Promise<Actor | null>;
}

export async function registerGraphql(app: FastifyInstance, options: GraphQLOptions): Promise<void> {
  // Report through the validation context (a 400 listing every problem) instead of throwing.
  const report = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  const rules = [
    maxDepthRule({ n: GRAPHQL_LIMITS.maxDepth, ...report }),
    maxAliasesRule({ n: GRAPHQL_LIMITS.maxAliases, ...report }),
    costLimitRule({ maxCost: GRAPHQL_LIMITS.maxCost, ...report }),
  ] as unknown as ValidationRule[];
  if (options.production) rules.push(NoSchemaIntrospectionCustomRule);

  await app.register(mercurius, {
    schema: options.schema,
    path: '/graphql',
    graphiql: !options.production,
    jit: 1,
    allowBatchedQueries: false,
    validationRules: rules,
    additionalRouteOptions: { config: { access: 'public' } },
    context: (request) => createGraphQLContext(request.ctx),
    subscription: {
      keepAlive: 30_000,
      queueHighWaterMark: 100,
      onConnect: async ({ payload }) => {
        const authorization = typeof payload?.authorization === 'string' ? payload.authorization : undefined;
        try {
          const actor = await options.authenticate({ authorization });
          if (!actor) return false;
          const request: RequestContext = {
            actor,
            requestId: `ws-${randomUUID()}`,
            clientIp: 'ws',
            userAgent: undefined,
          };
          return createGraphQLContext(request);
        } catch {
          return false;
        }
      },
    },
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      // Mercurius wraps validation failures in one error carrying the list: unwrap it (answered 400).
      let invalid = false;
      const errors = execution.errors
        .flatMap((error) => {
          const original = error.originalError as { code?: string; errors?: GraphQLError[] } | undefined;
          if (original?.code !== 'MER_ERR_GQL_VALIDATION' || !Array.isArray(original.errors)) return [error];
          invalid = true;
          return original.errors;
        })
        .map((error) => formatError(error, options.production, requestLog(context, options.log)));
      // No data and no error tied to a field: the request itself was wrong (e.g. a variable's type).
      const requestError = !execution.data && execution.errors.every((error) => !error.path);
      const statusCode =
        invalid || (requestError && formatted.statusCode === 200) ? 400 : formatted.statusCode;
      return { statusCode, response: { data: execution.data ?? null, errors } };
    },
  });
}

/** The request's own logger (its lines carry the request id) when the operation came over HTTP. */
function requestLog(context: unknown, fallback: Logger): Pick<Logger, 'error'> {
  return (context as { reply?: { log?: Logger } } | undefined)?.reply?.log ?? fallback;
}

function formatError(error: GraphQLError, production: boolean, log: Pick<Logger, 'error'>) {
  const original = error.originalError;
  const coded = original instanceof AppError ? original : translateDatabaseError(original);
  const path = error.path;
  const locations = error.locations;
  if (coded) {
    const extensions: { code: string; errors?: FieldError[]; details?: Record<string, unknown> } = {
      code: coded.code,
    };
    if (coded.errors) extensions.errors = coded.errors;
    if (coded.details && coded.kind !== 'internal') extensions.details = coded.details;
    const message = coded.kind === 'internal' ? 'Internal error' : coded.message;
    return { message, path, locations, extensions };
  }
  const client = describeClientError(original);
  if (client) return { message: client.message, path, locations, extensions: { code: client.code } };
  if (original && !(original instanceof GraphQLError)) {
    log.error({ err: original }, 'GraphQL resolver failed');
    return { message: 'Internal error', path, locations, extensions: { code: 'INTERNAL_ERROR' } };
  }
  const message = production ? error.message.replace(/\s*Did you mean .*$/, '') : error.message;
  return { message, path, locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}
