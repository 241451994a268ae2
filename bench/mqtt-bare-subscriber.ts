/**
 * The bare subscriber of bench/mqtt.ts, a child process: mqtt.js on its own connection (MQTT 5, QoS 0
 * subscription) that only counts. Told over IPC what to subscribe to and how many messages to expect
 * ({subscribe: filter, expect: n}, answered {subscribed: filter}); answers {done: <epoch ms of the
 * last message>, received} once it has them. Env: MQTT_URL.
 */
import { connectAsync } from 'mqtt';

const client = await connectAsync(process.env.MQTT_URL ?? '', {
  clientId: `bench-bare-${process.pid}`,
  protocolVersion: 5,
  clean: true,
});
let expected = Number.POSITIVE_INFINITY;
let received = 0;
client.on('message', () => {
  received += 1;
  if (received === expected) process.send?.({ done: Date.now(), received });
});

process.on('message', (message: { subscribe?: string; expect?: number; stop?: boolean }) => {
  if (message.stop) {
    void client.endAsync().finally(() => process.exit(0));
    return;
  }
  if (message.subscribe && typeof message.expect === 'number') {
    const filter = message.subscribe;
    received = 0;
    expected = message.expect;
    void client.subscribeAsync(filter, { qos: 0 }).then(() => process.send?.({ subscribed: filter }));
  }
});
process.send?.({ ready: true });
