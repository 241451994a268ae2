import SchemaBuilder from '@pothos/core';
import DataLoader from 'dataloader';
import type { RequestContext } from '../auth/actor.ts';

/** What every resolver receives: the caller and per-request DataLoaders. */
export interface GraphQLContext {
  /** Named `caller`: Mercurius keeps its own `request` (the HTTP request) in the same context. */
  caller: RequestContext;
  /** Present in every operation; Mercurius provides it. */
  pubsub: { subscribe(topic: string | string[]): Promise<AsyncIterable<unknown>> };
  loader<K, V>(
    name: string,
    batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  ): DataLoader<K, V>;
}

export function createGraphQLContext(caller: RequestContext): Omit<GraphQLContext, 'pubsub'> {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    caller,
    loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>) {
      let loader = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
        loaders.set(name, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
  };
}

export interface SchemaTypes {
  Context: GraphQLContext;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}

export type Builder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>>;

export function createBuilder(): Builder {
  const builder = new SchemaBuilder<SchemaTypes>({ defaultFieldNullability: false });
  builder.scalarType('DateTime', {
    description: 'An instant, ISO 8601 with offset',
    serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
    parseValue: (value) => {
      const date = new Date(String(value));
      if (typeof value !== 'string' || Number.isNaN(date.getTime()))
        throw new TypeError('DateTime must be ISO 8601');
      return date;
    },
  });
  builder.scalarType('JSON', { serialize: (value) => value, parseValue: (value) => value });
  builder.queryType({});
  builder.mutationType({});
  builder.subscriptionType({});
  return builder;
}
