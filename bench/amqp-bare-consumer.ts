/**
 * The bare consumer of bench/ingest-amqp.ts, a child process: amqplib on its own connection, the same
 * prefetch as HOM's worker, acknowledges each message as it arrives. Told over IPC how many messages
 * to expect ({expect: n}, answered {expecting: n}); answers {done: <epoch ms of the last ack>, acked} when it has acknowledged
 * them. Env: AMQP_URL, QUEUE, PREFETCH.
 */
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? '';
const queue = process.env.QUEUE ?? '';
const prefetch = Number(process.env.PREFETCH ?? 64);

const connection = await amqp.connect(url, { clientProperties: { connection_name: 'bench bare consumer' } });
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: true });
await channel.prefetch(prefetch);

let expected = Number.POSITIVE_INFINITY;
let acked = 0;
await channel.consume(queue, (message) => {
  if (!message) return;
  channel.ack(message);
  acked += 1;
  if (acked === expected) process.send?.({ done: Date.now(), acked });
});

process.on('message', (message: { expect?: number; stop?: boolean }) => {
  if (message.stop) {
    void channel
      .close()
      .then(() => connection.close())
      .finally(() => process.exit(0));
    return;
  }
  if (typeof message.expect === 'number') {
    acked = 0;
    expected = message.expect;
    process.send?.({ expecting: expected });
  }
});
process.send?.({ ready: true });
