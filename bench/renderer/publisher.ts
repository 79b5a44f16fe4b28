/**
 * The renderer benchmark's publisher, forked as its own process (mqtt.js, QoS 0):
 *   burst <port> big            one message to each of the 100,000 `big` topics, as fast as the socket takes them
 *   rate <port> <msg/s>          the `live` topics round robin at a steady rate, paced by the clock, until told to stop
 * Reports `{ type: 'done', published, ms }` over IPC once the broker has everything (a final QoS 1 PUBACK).
 */
import mqtt from 'mqtt';
import { BIG_TOPICS, bigTopic, LIVE_TOPICS, liveTopic } from './topics';

const [mode, portText, rateText] = process.argv.slice(2) as [string, string, string];
const port = Number(portText);
const HIGH_WATER = 1 << 20;

const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 5, reconnectPeriod: 0, clientId: `bench-renderer-pub-${process.pid}` });
client.on('error', (error) => {
  process.send?.({ type: 'error', message: error.message });
  process.exit(1);
});

function finish(published: number, started: number): void {
  // QoS 1 after the QoS 0 stream on the same connection: its PUBACK means the broker has them all.
  // A $-topic, so the subscriber's `#` does not add it to the tree [MQTT-4.7.2-1].
  client.publish('$bench/done', 'done', { qos: 1 }, () => {
    const ms = performance.now() - started;
    client.end(false, {}, () => {
      process.send?.({ type: 'done', published, ms });
      setTimeout(() => process.exit(0), 50);
    });
  });
}

client.once('connect', () => {
  const started = performance.now();
  const stream = client.stream;
  if (mode === 'burst') {
    let i = 0;
    const send = (): void => {
      const end = Math.min(BIG_TOPICS, i + 500);
      for (; i < end; i++) client.publish(bigTopic(i), `{"v":${i % 1000},"ok":true}`, { qos: 0 });
      if (i >= BIG_TOPICS) return finish(BIG_TOPICS, started);
      if (stream.writableLength > HIGH_WATER) stream.once('drain', send);
      else setImmediate(send);
    };
    send();
    return;
  }
  const rate = Number(rateText);
  let sent = 0;
  const tick = (): void => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) client.publish(liveTopic(sent % LIVE_TOPICS), `{"v":${(sent % 997) / 10},"n":${sent}}`, { qos: 0 });
  };
  const timer = setInterval(tick, 5);
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stop') return;
    clearInterval(timer);
    finish(sent, started);
  });
});
