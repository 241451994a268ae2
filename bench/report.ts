/** Turns autocannon results into the per-round tables, the summary and bench/results/latest.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Result } from 'autocannon';

export type TargetName = 'hello-world' | 'rest' | 'graphql';

export interface Sample {
  round: number;
  target: TargetName;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  durationS: number;
}

export interface Summary {
  medianReqPerSec: Record<TargetName, number>;
  medianP50Ms: Record<TargetName, number>;
  ratios: {
    restOverHelloWorld: { value: number; goal: number; meetsGoal: boolean };
    graphqlOverRest: { value: number; goal: number; meetsGoal: boolean };
  };
}

export const GOALS = { restOverHelloWorld: 0.25, graphqlOverRest: 0.5 } as const;
const TARGETS: TargetName[] = ['hello-world', 'rest', 'graphql'];

export function sampleOf(round: number, target: TargetName, result: Result): Sample {
  return {
    round,
    target,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    durationS: result.duration,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarise(samples: Sample[]): Summary {
  const of = (target: TargetName, pick: (sample: Sample) => number) =>
    median(samples.filter((sample) => sample.target === target).map(pick));
  const medianReqPerSec = Object.fromEntries(TARGETS.map((t) => [t, of(t, (s) => s.reqPerSec)])) as Record<
    TargetName,
    number
  >;
  const medianP50Ms = Object.fromEntries(TARGETS.map((t) => [t, of(t, (s) => s.p50Ms)])) as Record<
    TargetName,
    number
  >;
  const ratio = (value: number, goal: number) => ({ value, goal, meetsGoal: value >= goal });
  return {
    medianReqPerSec,
    medianP50Ms,
    ratios: {
      restOverHelloWorld: ratio(
        medianReqPerSec.rest / medianReqPerSec['hello-world'],
        GOALS.restOverHelloWorld,
      ),
      graphqlOverRest: ratio(medianReqPerSec.graphql / medianReqPerSec.rest, GOALS.graphqlOverRest),
    },
  };
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);

export function roundTable(round: number, samples: Sample[]): string {
  const rows = samples.map(
    (s) =>
      `  ${s.target.padEnd(12)} ${fixed(s.reqPerSec).padStart(9)} ${fixed(s.p50Ms, 1).padStart(9)} ${fixed(s.p99Ms, 1).padStart(9)}`,
  );
  return [
    `round ${round}`,
    `  ${'target'.padEnd(12)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`,
    ...rows,
  ].join('\n');
}

export function summaryText(summary: Summary, rounds: number): string {
  const verdict = (meets: boolean) => (meets ? 'meets goal' : 'below goal');
  const { restOverHelloWorld: rest, graphqlOverRest: graphql } = summary.ratios;
  return [
    `summary (median of ${rounds} round${rounds === 1 ? '' : 's'})`,
    ...TARGETS.map(
      (t) =>
        `  ${t.padEnd(12)} ${fixed(summary.medianReqPerSec[t]).padStart(9)} req/s   p50 ${fixed(summary.medianP50Ms[t], 1)} ms`,
    ),
    `  REST / hello-world: ${fixed(rest.value, 3)}  (goal >= ${rest.goal}: ${verdict(rest.meetsGoal)})`,
    `  GraphQL / REST:     ${fixed(graphql.value, 3)}  (goal >= ${graphql.goal}: ${verdict(graphql.meetsGoal)})`,
  ].join('\n');
}

export async function writeResults(file: string, content: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
}
