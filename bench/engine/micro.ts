/**
 * The recorder's own cost, without broker or sockets: CPU time per message for the tree alone and
 * for tree + store (queue, batched SQLite writes). Steadier than wall-clock rates on a busy
 * machine, so it is the figure to compare before and after an optimization.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, Recorder } from '../../electron/core/data';
import { MessageStore } from '../../electron/core/store';
import { TopicTree } from '../../electron/core/tree';
import { round } from './stats';
import { benchTopic, topicIndexOf } from './topics';

export interface MicroFigures {
  messages: number;
  treeUsPerMsg: number;
  recorderUsPerMsg: number;
  writeUsPerMsg: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

export async function runMicro(messages: number, topicCount: number): Promise<MicroFigures> {
  const topics = Array.from({ length: topicCount }, (_, i) => benchTopic(i));
  const now = Date.now();
  // Fresh strings and buffers per message, as mqtt-packet hands them over.
  const make = (seq: number): { topic: string; payload: Buffer } => ({
    topic: `${topics[topicIndexOf(seq, topicCount)] as string}`.slice(0),
    payload: Buffer.from(`{"seq":${seq},"value":${(seq % 1000) / 10},"ts":${now}}`),
  });
  const inputs = Array.from({ length: messages }, (_, i) => make(i));

  const tree = new TopicTree('micro');
  let start = process.cpuUsage();
  for (let i = 0; i < messages; i++) {
    const m = inputs[i] as { topic: string; payload: Buffer };
    tree.record(m.topic, i + 1, now, m.payload, 0, false);
    if (i % 10_000 === 0) tree.takeDelta();
  }
  const treeMs = cpuMs(start);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'topograph-micro-'));
  try {
    // Inline writes, so this thread's CPU time includes SQLite's; timers never fire inside this
    // loop: writes are driven by hand, every 5,000 messages.
    const store = MessageStore.open(path.join(dir, 'micro.sqlite'), { maxPerTopic: 1_000_000, maxBytes: 1_000_000_000_000, maxAgeSeconds: 0 }, { writer: 'inline' });
    const recorder = new Recorder('micro', store, { emit: () => undefined }, { ...DEFAULT_LIMITS, batchRows: Number.MAX_SAFE_INTEGER, highRows: Number.MAX_SAFE_INTEGER, highBytes: Number.MAX_SAFE_INTEGER });
    let writeMs = 0;
    start = process.cpuUsage();
    const resume = (): void => undefined;
    for (let i = 0; i < messages; i++) {
      const m = inputs[i] as { topic: string; payload: Buffer };
      recorder.record({ topic: m.topic, payload: m.payload, qos: 0, retain: false, dup: false, properties: {}, time: now }, resume);
      if (i % 5_000 === 4_999) {
        const writeStart = process.cpuUsage();
        await recorder.flush();
        writeMs += cpuMs(writeStart);
        recorder.tree.takeDelta();
      }
    }
    const writeStart = process.cpuUsage();
    await recorder.flush();
    writeMs += cpuMs(writeStart);
    const totalMs = cpuMs(start);
    await recorder.close();
    return {
      messages,
      treeUsPerMsg: round((treeMs * 1000) / messages, 3),
      recorderUsPerMsg: round((totalMs * 1000) / messages, 3),
      writeUsPerMsg: round((writeMs * 1000) / messages, 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
