/**
 * The publisher of bench/mqtt.ts, a child process: mqtt.js publishing readings as fast as the socket
 * takes them. Told {publish: {root, site, machines, sensors, count, qos, baseMs}} over IPC; publishes
 * message i to `<root>/<site>/<machine i mod M>/<sensor (i div M) mod S>` as
 * `{"value": …, "unit": "°C", "timestamp": <baseMs + i ms>}` (every reading its own instant), and
 * answers {published: count, startedAt, endedAt} (epoch ms) once every message is written. Env: MQTT_URL.
 */
import { connectAsync } from 'mqtt';

interface Job {
  root: string;
  site: string;
  machines: string[];
  sensors: string[];
  count: number;
  qos: 0 | 1;
  baseMs: number;
}

const client = await connectAsync(process.env.MQTT_URL ?? '', {
  clientId: `bench-pub-${process.pid}`,
  protocolVersion: 5,
  clean: true,
});

async function publish(job: Job): Promise<void> {
  const startedAt = Date.now();
  const topics: string[] = [];
  for (const sensor of job.sensors)
    for (const machine of job.machines) topics.push(`${job.root}/${job.site}/${machine}/${sensor}`);
  // QoS 0: written in order, so each chunk waits only for its last message; QoS 1 waits for every PUBACK.
  const chunk = 1_000;
  for (let from = 0; from < job.count; from += chunk) {
    const sends: Promise<unknown>[] = [];
    const last = Math.min(job.count, from + chunk) - 1;
    for (let i = from; i <= last; i += 1) {
      const payload = `{"value":${(20 + (i % 1000) / 10).toFixed(1)},"unit":"°C","timestamp":"${new Date(job.baseMs + i).toISOString()}"}`;
      const topic = topics[i % topics.length] ?? '';
      if (job.qos === 0 && i !== last) client.publish(topic, payload, { qos: 0 });
      else sends.push(client.publishAsync(topic, payload, { qos: job.qos }));
    }
    await Promise.all(sends);
  }
  process.send?.({ published: job.count, startedAt, endedAt: Date.now() });
}

process.on('message', (message: { publish?: Job; stop?: boolean }) => {
  if (message.stop) {
    void client.endAsync().finally(() => process.exit(0));
    return;
  }
  if (message.publish) void publish(message.publish);
});
process.send?.({ ready: true });
