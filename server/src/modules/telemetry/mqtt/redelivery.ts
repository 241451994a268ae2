import { createHash } from 'node:crypto';
import type { Incoming } from './batcher.ts';

/**
 * QoS 1 messages committed lately, so that the broker sending one again (its PUBACK was lost with the
 * connection, or never sent) is acknowledged without storing it twice. A redelivery has the DUP flag
 * and the same packet id, topic and payload (MQTT 5 §4.4); a broker reuses a packet id only after its
 * PUBACK arrived, and Mosquitto counts ids up through 65,535 before reusing one, so a memory of the
 * last few thousand commits cannot mistake a new message for an old one. Emptied when the broker
 * says the session is new (then nothing is sent again).
 */
export function createRedeliveryMemory(capacity: number) {
  const seen = new Set<string>();

  function key(message: Incoming): string {
    const body =
      message.payload.length <= 64
        ? message.payload.toString('base64')
        : createHash('sha1').update(message.payload).digest('base64');
    return `${message.messageId ?? 0}|${message.topic}|${body}`;
  }

  return {
    remember(message: Incoming): void {
      const k = key(message);
      seen.delete(k);
      seen.add(k);
      if (seen.size > capacity) {
        const oldest = seen.values().next();
        if (!oldest.done) seen.delete(oldest.value);
      }
    },
    has: (message: Incoming) => seen.has(key(message)),
    clear: () => seen.clear(),
  };
}
