/**
 * The benchmark's publisher, forked as its own process so it does not share the engine's CPU
 * time slice: mqtt.js, QoS 0, small JSON payloads, paced by the socket (it waits for 'drain'
 * rather than letting mqtt.js buffer without bound).
 */
import mqtt from 'mqtt';
import { benchTopic, topicIndexOf } from './topics';

const [port, total, topicCount] = process.argv.slice(2).map(Number) as [number, number, number];
const topics = Array.from({ length: topicCount }, (_, i) => benchTopic(i));
const CHUNK = 500;
const HIGH_WATER = 1 << 20;

const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, clientId: `bench-pub-${process.pid}` });
client.on('error', (error) => {
  process.send?.({ type: 'error', message: error.message });
  process.exit(1);
});
client.once('connect', () => {
  const started = performance.now();
  let seq = 0;
  const stream = client.stream;
  const send = (): void => {
    const now = Date.now();
    const end = Math.min(total, seq + CHUNK);
    for (; seq < end; seq++) {
      const payload = `{"seq":${seq},"value":${(seq % 1000) / 10},"ts":${now}}`;
      client.publish(topics[topicIndexOf(seq, topicCount)] as string, payload, { qos: 0 });
    }
    if (seq < total) {
      if (stream.writableLength > HIGH_WATER) stream.once('drain', send);
      else setImmediate(send);
      return;
    }
    client.end(false, {}, () => {
      const ms = performance.now() - started;
      process.send?.({ type: 'done', published: total, ms });
      // Let the IPC message leave before exiting.
      setTimeout(() => process.exit(0), 50);
    });
  };
  send();
});
