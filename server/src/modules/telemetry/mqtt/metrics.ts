import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const NAMES = [
  'hom_mqtt_connected',
  'hom_mqtt_buffered_messages',
  'hom_mqtt_messages_received_total',
  'hom_mqtt_messages_stored_total',
  'hom_mqtt_dead_letters_total',
  'hom_mqtt_redeliveries_skipped_total',
  'hom_mqtt_write_retries_total',
  'hom_mqtt_connects_total',
  'hom_mqtt_batch_seconds',
] as const;

/**
 * The MQTT ingest's Prometheus metrics (on /metrics of the process running it). An ingest started
 * again in the same process (it leads again after following) replaces the metrics of the one before.
 */
export function createMqttMetrics(
  registry: Registry | undefined,
  read: () => { connected: boolean; waiting: number; writing: number; unacked: number },
) {
  for (const name of NAMES) registry?.removeSingleMetric(name);
  const registers = [registry ?? new Registry()];
  return {
    connected: new Gauge({
      name: 'hom_mqtt_connected',
      help: '1 while the MQTT ingest is connected to its broker',
      registers,
      collect() {
        this.set(read().connected ? 1 : 0);
      },
    }),
    buffered: new Gauge({
      name: 'hom_mqtt_buffered_messages',
      help: 'MQTT messages held: waiting for a batch, being written, or (QoS 1) not yet acknowledged',
      labelNames: ['stage'],
      registers,
      collect() {
        const stats = read();
        this.set({ stage: 'waiting' }, stats.waiting);
        this.set({ stage: 'writing' }, stats.writing);
        this.set({ stage: 'unacked' }, stats.unacked);
      },
    }),
    received: new Counter({
      name: 'hom_mqtt_messages_received_total',
      help: 'MQTT messages received, by QoS',
      labelNames: ['qos'],
      registers,
    }),
    stored: new Counter({
      name: 'hom_mqtt_messages_stored_total',
      help: 'MQTT messages committed to PostgreSQL (or kept as dead letters)',
      registers,
    }),
    deadLetters: new Counter({
      name: 'hom_mqtt_dead_letters_total',
      help: 'MQTT messages that can never be stored, by cause (topic, payload, machine, rejected)',
      labelNames: ['cause'],
      registers,
    }),
    redeliveries: new Counter({
      name: 'hom_mqtt_redeliveries_skipped_total',
      help: 'QoS 1 messages the broker sent again after they were committed: acknowledged, not stored twice',
      registers,
    }),
    retries: new Counter({
      name: 'hom_mqtt_write_retries_total',
      help: 'Batches that failed for a passing reason (database away) and wait to be written again',
      registers,
    }),
    connects: new Counter({
      name: 'hom_mqtt_connects_total',
      help: 'Connections made to the broker (a reconnect counts again)',
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'hom_mqtt_batch_seconds',
      help: 'Time to write one batch of MQTT messages',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}
export type MqttMetrics = ReturnType<typeof createMqttMetrics>;
