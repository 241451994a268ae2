import { describe, expect, it } from 'vitest';
import { createBatcher, type Incoming } from '../mqtt/batcher.ts';

let nextId = 1;
function message(machine: string, qos: 0 | 1 = 1): Incoming {
  const id = nextId++;
  return {
    topic: `plant/S1/${machine}/temp`,
    payload: Buffer.from(String(id)),
    qos,
    messageId: id,
    generation: 1,
    receivedAt: Date.now(),
    done: false,
    abandoned: false,
  };
}

const machineOf = (m: Incoming) => m.topic.split('/')[2] ?? '';

/** A write that finishes when told to, so the test decides the order batches commit in. */
function controlledWrites() {
  const started: { machines: string[]; ids: number[]; finish: () => void }[] = [];
  return {
    started,
    process(batch: Incoming[]) {
      return new Promise<{ retry: Incoming[] }>((resolve) => {
        started.push({
          machines: [...new Set(batch.map(machineOf))],
          ids: batch.map((m) => m.messageId ?? 0),
          finish: () => {
            for (const m of batch) m.done = true;
            resolve({ retry: [] });
          },
        });
      });
    },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('the MQTT batcher', () => {
  it('writes one batch per shard side by side, each machine in one shard, and acknowledges in arrival order', async () => {
    const writes = controlledWrites();
    const acked: number[] = [];
    const batcher = createBatcher({
      process: (batch) => writes.process(batch),
      ack: (m) => acked.push(m.messageId ?? 0),
      shards: 2,
      shardOf: (m) => (machineOf(m) === 'M1' ? 0 : 1),
      // Long enough that the four pushes below are one batch per shard even on a busy machine.
      lingerMs: 30,
    });
    const first = [message('M1'), message('M2'), message('M1'), message('M2')];
    for (const m of first) batcher.push(m);
    await until(() => writes.started.length === 2);
    expect(writes.started.map((w) => w.machines)).toEqual([['M1'], ['M2']]);
    expect(writes.started.map((w) => w.ids)).toEqual([
      [first[0]!.messageId, first[2]!.messageId],
      [first[1]!.messageId, first[3]!.messageId],
    ]);

    // A shard writes one batch at a time: more of M1 wait until its batch is done (past the linger).
    const later = message('M1');
    batcher.push(later);
    await new Promise((r) => setTimeout(r, 100));
    expect(writes.started).toHaveLength(2);

    // M2's batch commits first: nothing is acknowledged, since the first message (M1's) is not done.
    writes.started[1]!.finish();
    await new Promise((r) => setTimeout(r, 10));
    expect(acked).toEqual([]);
    writes.started[0]!.finish();
    await until(() => acked.length === 4);
    expect(acked).toEqual(first.map((m) => m.messageId));
    await until(() => writes.started.length === 3);
    expect(writes.started[2]!.ids).toEqual([later.messageId]);
    writes.started[2]!.finish();
    await until(() => acked.length === 5);
    expect(batcher.stats()).toMatchObject({ waiting: 0, writing: 0, unacked: 0 });
  });

  it('puts a failed batch back at the front of its shard and tries it again', async () => {
    let attempts = 0;
    const written: number[][] = [];
    const batcher = createBatcher({
      process: async (batch) => {
        attempts += 1;
        if (attempts === 1) return { retry: batch, error: new Error('database away') };
        written.push(batch.map((m) => m.messageId ?? 0));
        for (const m of batch) m.done = true;
        return { retry: [] };
      },
      ack: () => undefined,
      shards: 2,
      shardOf: () => 1,
      lingerMs: 1,
    });
    const messages = [message('M3', 0), message('M3', 0)];
    for (const m of messages) batcher.push(m);
    await until(() => written.length === 1);
    expect(written[0]).toEqual(messages.map((m) => m.messageId));
    expect(batcher.stats()).toMatchObject({ waiting: 0, writing: 0, failures: 0 });
  });
});
