import { isAppError } from '../../../platform/errors.ts';
import { isTransientDatabaseError } from '../../../platform/db/errors.ts';
import type { ReadingRow } from '../reading.types.ts';
import type { CountKind, CountSignal, MachineRef, StateSignal } from '../signals.types.ts';
import type { Incoming } from './batcher.ts';
import type { MachineResolver, ResolvedMachine } from './machines.ts';
import {
  instantOf,
  isRefusal,
  parseCounter,
  parseReading,
  parseResults,
  parseState,
  readingTypeOf,
  type Refusal,
} from './payload.ts';
import type { RoutedTopic, TopicRouter } from './topics.ts';

/** Where prepared messages go; each resolves after its commit. */
export interface MqttSinks {
  writeReadings(rows: ReadingRow[]): Promise<{ inserted: number }>;
  /** Test results in the /ingest format, as the site's ingest (rejects with a coded error if invalid). */
  ingestResults(siteId: number, items: unknown[]): Promise<number>;
  /** States and counters in one transaction. */
  recordSignals(states: StateSignal[], counts: CountSignal[]): Promise<void>;
  deadLetter(letters: { reason: string; payload: string }[]): Promise<void>;
}

export type DeadLetterCause = 'topic' | 'payload' | 'machine' | 'rejected';

type Prepared =
  | { kind: 'refused'; cause: DeadLetterCause; reason: string }
  | { kind: 'reading'; row: ReadingRow }
  | { kind: 'results'; site_id: number; items: unknown[] }
  | { kind: 'state'; signal: StateSignal }
  | { kind: 'counter'; signal: CountSignal };

type Parsed =
  | { kind: 'refused'; cause: DeadLetterCause; reason: string }
  | { kind: 'ok'; route: RoutedTopic; finish: (machine: ResolvedMachine) => Prepared };

/** PostgreSQL refused the data itself (class 22 data exception, 23 integrity): retrying cannot help. */
function rejectsData(error: unknown): boolean {
  if (isTransientDatabaseError(error) || typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** A coded refusal of the results themselves (not the database being away). */
const refusesResults = (error: unknown) =>
  (isAppError(error) &&
    error.kind !== 'unavailable' &&
    error.kind !== 'throttled' &&
    error.kind !== 'internal') ||
  rejectsData(error);

const refused = (cause: DeadLetterCause, refusal: Refusal): Prepared => ({
  kind: 'refused',
  cause,
  reason: refusal.reason,
});

/** FNV-1a of a string, as an unsigned 32-bit number. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Turns batches of MQTT messages into readings, results, states and counters, writes each kind in one
 * go, and marks every message done once what it carried is committed (or, if it can never be stored,
 * once it is in the dead letters). What failed for a passing reason is left for a retry.
 */
export function createProcessor(deps: {
  route: TopicRouter;
  machines: MachineResolver;
  sinks: MqttSinks;
  /** Every message that can never be stored, by cause (the metric counts them all). */
  onDeadLetter?: (cause: DeadLetterCause, reason: string, topic: string) => void;
  /** Dead letters kept in the table per 10 s at most; the rest are only counted and logged. */
  maxDeadLettersPer10s?: number;
  /** The machines each batch came from (the outage watch marks them stale while the broker is away). */
  onMachines?: (machines: MachineRef[]) => void;
}) {
  const maxLetters = deps.maxDeadLettersPer10s ?? 100;
  let windowStart = 0;
  let lettersInWindow = 0;
  /** The last receipt stamp per machine and type: readings without a timestamp never share an instant. */
  const lastStamp = new Map<string, number>();

  /** Each topic's route and reading type, worked out once (a plant has a few thousand topics). */
  const topics = new Map<string, { route: RoutedTopic | null; type: string | Refusal | null }>();
  function topicOf(topic: string) {
    let known = topics.get(topic);
    if (!known) {
      const route = deps.route(topic);
      known = { route, type: route?.kind === 'reading' ? readingTypeOf(route.name ?? '') : null };
      if (topics.size >= 50_000) topics.clear();
      topics.set(topic, known);
    }
    return known;
  }

  function parse(message: Incoming): Parsed {
    const { route, type } = topicOf(message.topic);
    if (!route) return { kind: 'refused', cause: 'topic', reason: 'the topic matches no configured pattern' };
    const at = (sent: Parameters<typeof instantOf>[0], machine: ResolvedMachine) =>
      instantOf(sent, machine.time_zone, message.receivedAt);
    switch (route.kind) {
      case 'reading': {
        if (type === null || isRefusal(type)) {
          return { kind: 'refused', cause: 'topic', reason: type?.reason ?? 'no reading type' };
        }
        const body = parseReading(message.payload);
        if (isRefusal(body)) return { kind: 'refused', cause: 'payload', reason: body.reason };
        return {
          kind: 'ok',
          route,
          finish: (machine) => {
            let instant = at(body.timestamp, machine);
            if (isRefusal(instant)) return refused('payload', instant);
            if (body.timestamp === null) instant = stamp(machine.machine_id, type, instant);
            return {
              kind: 'reading',
              row: {
                site_id: machine.site_id,
                machine_id: machine.machine_id,
                reading_type: type,
                value: body.value,
                unit: body.unit,
                recorded_at: instant,
              },
            };
          },
        };
      }
      case 'results': {
        const items = parseResults(message.payload, route.machine);
        if (isRefusal(items)) return { kind: 'refused', cause: 'payload', reason: items.reason };
        return {
          kind: 'ok',
          route,
          finish: (machine) => ({ kind: 'results', site_id: machine.site_id, items }),
        };
      }
      case 'state': {
        const body = parseState(message.payload);
        if (isRefusal(body)) return { kind: 'refused', cause: 'payload', reason: body.reason };
        return {
          kind: 'ok',
          route,
          finish: (machine) => {
            const instant = at(body.timestamp, machine);
            if (isRefusal(instant)) return refused('payload', instant);
            const { machine_id, site_id } = machine;
            return {
              kind: 'state',
              signal: {
                machine_id,
                site_id,
                state: body.state,
                raw_value: body.raw,
                source: 'mqtt',
                at: instant,
              },
            };
          },
        };
      }
      case 'counter': {
        const kind = (route.name ?? '').toLowerCase();
        if (kind !== 'cycle' && kind !== 'good' && kind !== 'reject') {
          return {
            kind: 'refused',
            cause: 'topic',
            reason: `counter "${kind.slice(0, 40)}" is not cycle, good or reject`,
          };
        }
        const body = parseCounter(message.payload);
        if (isRefusal(body)) return { kind: 'refused', cause: 'payload', reason: body.reason };
        return {
          kind: 'ok',
          route,
          finish: (machine) => {
            const instant = at(body.timestamp, machine);
            if (isRefusal(instant)) return refused('payload', instant);
            const { machine_id, site_id } = machine;
            const count: CountKind = kind;
            return {
              kind: 'counter',
              signal: {
                machine_id,
                site_id,
                kind: count,
                counter_value: body.value,
                source: 'mqtt',
                at: instant,
              },
            };
          },
        };
      }
    }
  }

  function stamp(machineId: number, type: string, instant: Date): Date {
    const key = `${machineId}|${type}`;
    const last = lastStamp.get(key) ?? 0;
    const ms = Math.max(instant.getTime(), last + 1);
    if (lastStamp.size >= 100_000) lastStamp.clear();
    lastStamp.set(key, ms);
    return ms === instant.getTime() ? instant : new Date(ms);
  }

  /** Parses and resolves the messages not prepared yet (one machine lookup for all of them). */
  async function prepare(batch: readonly Incoming[]): Promise<void> {
    const todo = batch.filter((m) => m.prepared === undefined);
    const parsed = todo.map((m) => (m.parsed as Parsed | undefined) ?? parse(m));
    // Each (site, machine) pair once: a batch holds thousands of messages of a few machines.
    const pairs = new Map<string, { site: string | null; machine: string }>();
    for (const item of parsed) {
      if (item.kind === 'ok') pairs.set(`${item.route.site ?? ''}/${item.route.machine}`, item.route);
    }
    const keys = [...pairs.keys()];
    const answers = await deps.machines.resolve([...pairs.values()]);
    const machineOf = new Map(keys.map((key, i) => [key, answers[i]]));
    deps.onMachines?.(
      answers.flatMap((m) => (isRefusal(m) ? [] : [{ machine_id: m.machine_id, site_id: m.site_id }])),
    );
    todo.forEach((message, i) => {
      const item = parsed[i];
      if (!item) return;
      message.parsed = undefined;
      if (item.kind === 'refused') {
        message.prepared = item;
        return;
      }
      const machine = machineOf.get(`${item.route.site ?? ''}/${item.route.machine}`);
      message.prepared =
        !machine || isRefusal(machine)
          ? refused('machine', machine ?? { reason: 'unresolved' })
          : item.finish(machine);
    });
  }

  async function keepDeadLetters(messages: readonly Incoming[]): Promise<void> {
    const now = Date.now();
    if (now - windowStart >= 10_000) {
      windowStart = now;
      lettersInWindow = 0;
    }
    const letters: { reason: string; payload: string }[] = [];
    for (const message of messages) {
      const prepared = message.prepared as Prepared;
      if (prepared.kind !== 'refused') continue;
      deps.onDeadLetter?.(prepared.cause, prepared.reason, message.topic);
      if (lettersInWindow >= maxLetters) continue;
      lettersInWindow += 1;
      const text = message.payload.toString('utf8').replaceAll('\u0000', '\uFFFD');
      letters.push({ reason: `${message.topic}: ${prepared.reason}`.slice(0, 2000), payload: text });
    }
    await deps.sinks.deadLetter(letters);
  }

  /** Runs `write` for the group; on a data error, each message alone, dead-lettering those refused. */
  async function writeGroup(
    group: Incoming[],
    write: (messages: Incoming[]) => Promise<unknown>,
    refusedBy: (error: unknown) => boolean,
  ): Promise<void> {
    if (group.length === 0) return;
    try {
      await write(group);
      for (const message of group) message.done = true;
      return;
    } catch (error) {
      if (!refusedBy(error) || group.length === 1) {
        if (group.length === 1 && refusedBy(error)) {
          const reason = error instanceof Error ? error.message : String(error);
          group[0]!.prepared = { kind: 'refused', cause: 'rejected', reason } satisfies Prepared;
          await keepDeadLetters(group);
          group[0]!.done = true;
          return;
        }
        throw error;
      }
    }
    for (const message of group) await writeGroup([message], write, refusedBy);
  }

  const of = <K extends Prepared['kind']>(message: Incoming, kind: K) =>
    (message.prepared as Prepared).kind === kind
      ? (message.prepared as Extract<Prepared, { kind: K }>)
      : null;

  return {
    /**
     * The shard of a message already read: by its machine, so one machine's messages stay in order and
     * batches written side by side never lock the same rows (refused messages go to shard 0).
     */
    shardOf(message: Incoming, shards: number): number {
      const parsed = message.parsed as Parsed | undefined;
      if (shards <= 1 || parsed?.kind !== 'ok') return 0;
      return hashOf(`${parsed.route.site ?? ''}/${parsed.route.machine}`) % shards;
    },

    /** Reads a message's topic and payload as it arrives, so that a batch's write overlaps the next's reading. */
    read(message: Incoming): void {
      message.parsed = parse(message);
    },

    /** One attempt at a batch: what is left (not done) is to be retried, with the first error. */
    async process(batch: Incoming[]): Promise<{ retry: Incoming[]; error?: unknown }> {
      try {
        await prepare(batch);
      } catch (error) {
        return { retry: batch, error };
      }
      const letters: Incoming[] = [];
      const results: Incoming[] = [];
      const signals: Incoming[] = [];
      const readings: Incoming[] = [];
      for (const message of batch) {
        if (message.done) continue;
        const kind = (message.prepared as Prepared).kind;
        if (kind === 'reading') readings.push(message);
        else if (kind === 'refused') letters.push(message);
        else if (kind === 'results') results.push(message);
        else signals.push(message);
      }
      const tasks = [
        writeGroup(
          readings,
          (group) => deps.sinks.writeReadings(group.map((m) => of(m, 'reading')!.row)),
          rejectsData,
        ),
        writeGroup(
          signals,
          (group) =>
            deps.sinks.recordSignals(
              group.flatMap((m) => of(m, 'state')?.signal ?? []),
              group.flatMap((m) => of(m, 'counter')?.signal ?? []),
            ),
          rejectsData,
        ),
        ...results.map((message) =>
          writeGroup(
            [message],
            ([m]) => deps.sinks.ingestResults(of(m!, 'results')!.site_id, of(m!, 'results')!.items),
            refusesResults,
          ),
        ),
        letters.length === 0
          ? Promise.resolve()
          : keepDeadLetters(letters).then(() => {
              for (const message of letters) message.done = true;
            }),
      ];
      const outcomes = await Promise.allSettled(tasks);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      return { retry: batch.filter((m) => !m.done), error: failed?.reason };
    },
  };
}
export type MqttProcessor = ReturnType<typeof createProcessor>;
