import { requireActor } from '../../platform/auth/actor.ts';
import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import { VERDICTS } from './ingest.dto.ts';
import type { LiveBus } from './live-bus.ts';
import { liveAcceptor, liveFilterInput } from './live.routes.ts';
import type { StoredResult } from './results.writer.ts';

/** Results one `testResults` subscription may have waiting; one more ends it (TOO_SLOW). */
export const MAX_QUEUED_RESULTS = 1_000;

/** What ends a subscription whose client does not keep up; `extensions.code` reaches the client. */
class TooSlowError extends Error {
  readonly extensions = { code: 'TOO_SLOW' };
}

/**
 * The live bus as an async iterator for one subscriber, with a bounded queue: when more than
 * `maxQueued` accepted results wait for the client, the queue is dropped, the iterator leaves the bus
 * and its next read fails, so a slow client never costs more than `maxQueued` results of memory.
 */
export function liveResults(
  bus: LiveBus,
  accepts: (result: StoredResult) => boolean,
  maxQueued: number = MAX_QUEUED_RESULTS,
): AsyncIterableIterator<StoredResult> {
  const queue: StoredResult[] = [];
  let waiting: ((result: IteratorResult<StoredResult>) => void) | undefined;
  let failure: Error | undefined;
  let finished = false;

  const finish = () => {
    finished = true;
    queue.length = 0;
    unsubscribe();
  };
  const unsubscribe = bus.subscribe((results) => {
    if (finished) return;
    for (const result of results) {
      if (!accepts(result)) continue;
      if (waiting) {
        const deliver = waiting;
        waiting = undefined;
        deliver({ value: result, done: false });
      } else if (queue.length < maxQueued) {
        queue.push(result);
      } else {
        failure = new TooSlowError(
          `too slow: more than ${maxQueued} results waiting to be sent; subscribe again and read faster`,
        );
        finish();
        return;
      }
    }
  });

  const iterator: AsyncIterableIterator<StoredResult> = {
    next() {
      if (failure) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      const next = queue.shift();
      if (next) return Promise.resolve({ value: next, done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Quality over GraphQL: the live feed of stored results (camelCase, same rules as GET /ws/live).
 * Answers the TestResult and TestVerdict types for the reads in results.graphql.ts.
 */
export function registerQualityGraphql(builder: Builder, deps: { live: LiveBus }) {
  const TestVerdict = builder.enumType('TestVerdict', { values: VERDICTS });

  const TestResult = builder.objectRef<StoredResult>('TestResult').implement({
    description: 'A stored test result, judged against the spec limits in force when it was measured',
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (r) => r.site_id }),
      machineId: t.id({ resolve: (r) => r.machine_id }),
      machineCode: t.string({ resolve: (r) => r.machine_code }),
      barcode: t.exposeString('barcode'),
      productId: t.string({ resolve: (r) => r.product_id }),
      testStep: t.string({ resolve: (r) => r.test_step }),
      measuredValue: t.float({ resolve: (r) => r.measured_value }),
      unit: t.string({ nullable: true, resolve: (r) => r.unit }),
      timestamp: t.field({ type: 'DateTime', resolve: (r) => r.timestamp }),
      receivedAt: t.field({ type: 'DateTime', resolve: (r) => r.received_at }),
      verdict: t.field({ type: TestVerdict, resolve: (r) => r.verdict }),
      lowerLimit: t.float({ nullable: true, resolve: (r) => r.lower_limit }),
      upperLimit: t.float({ nullable: true, resolve: (r) => r.upper_limit }),
    }),
  });

  const TestResultFilter = builder.inputType('TestResultFilter', {
    fields: (t) => ({
      siteId: t.id(),
      machineId: t.string({ description: 'The machine’s plant code (any case) or its numeric id' }),
      productId: t.string(),
      testStep: t.string(),
      verdict: t.field({ type: TestVerdict }),
    }),
  });

  builder.subscriptionFields((t) => ({
    testResults: t.field({
      type: TestResult,
      description:
        'Each stored result on your sites matching the filter, as it is stored (in any API process). ' +
        `More than ${MAX_QUEUED_RESULTS} waiting for a slow client end the subscription with TOO_SLOW.`,
      args: { filter: t.arg({ type: TestResultFilter }) },
      ...withAccess({ permission: 'plant:read' }, (result: StoredResult, _args: unknown) => result),
      subscribe: (_root, args, context) => {
        const { actor } = requireActor(context.caller);
        const filter = parseInput(liveFilterInput, snakeCase(args.filter ?? {}, { dropNulls: true }));
        return liveResults(deps.live, liveAcceptor(actor, filter));
      },
    }),
  }));
  return { TestResult, TestVerdict };
}
export type QualityGraphqlRefs = ReturnType<typeof registerQualityGraphql>;
