// The publish part on top of the real connection part, against a real mosquitto, with
// mosquitto_sub as the independent receiver. mosquitto_sub's output is read as raw bytes so
// binary correlation data arrives unmangled.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ParamsOf } from '../../../electron/common/api';
import { dispatch } from '../../../electron/common/dispatch';
import type { Result } from '../../../electron/common/result';
import { createConnectionPart, type ConnectionPart } from '../../../electron/core/connection';
import { createPublishPart, type PublishPart, type PublishPartOptions } from '../../../electron/core/publish';
import type { EngineContext } from '../../../electron/core/services';
import { binaryPath, type MosquittoBroker } from '../../harness';
import { spawnTracked, stopProcess } from '../../harness/processes';
import { CollectingEvents, CollectingRecording, TestProfiles, type ProfileSeed } from '../connection/helpers';

export { waitFor } from '../connection/helpers';

export interface PublishRig {
  connection: ConnectionPart;
  publish: PublishPart;
  profiles: TestProfiles;
  recording: CollectingRecording;
  events: CollectingEvents;
  dataDir: string;
  /** Calls a publish/saved method through the real boundary validation (defaults applied). */
  call<M extends keyof PublishPart['handlers']>(method: M, params: ParamsOf<M>): Promise<Result<unknown>>;
  /** Like call, but throws with the engine's sentence on a failed Result. */
  ok<T = unknown>(method: keyof PublishPart['handlers'], params: ParamsOf<keyof PublishPart['handlers']>): Promise<T>;
  close(): Promise<void>;
}

export async function makeRig(options: PublishPartOptions = {}, dataDir?: string): Promise<PublishRig> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'topograph-publish-')));
  const profiles = new TestProfiles();
  const recording = new CollectingRecording();
  const events = new CollectingEvents();
  const ctx: EngineContext = { dataDir: dir, host: 'web', version: 'test', events, problems: [] };
  const connection = createConnectionPart(ctx, { profiles, recording });
  const publish = createPublishPart(ctx, { profiles, sessions: connection.sessions }, options);
  const handlers = { ...publish.handlers } as Parameters<typeof dispatch>[0];
  const call = (method: string, params: unknown): Promise<Result<unknown>> => dispatch(handlers, method, params);
  return {
    connection,
    publish,
    profiles,
    recording,
    events,
    dataDir: dir,
    call: call as PublishRig['call'],
    ok: async <T,>(method: string, params: unknown): Promise<T> => {
      const result = await call(method, params);
      if (!result.ok) throw new Error(`${method} failed (${result.error.code}): ${result.error.message}`);
      return result.value as T;
    },
    close: async () => {
      await publish.close();
      await connection.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Adds a profile for `broker` and connects it. */
export async function connect(rig: PublishRig, id: string, broker: MosquittoBroker, seed: Partial<ProfileSeed> = {}): Promise<void> {
  rig.profiles.add(id, { host: broker.host, port: broker.port, clientId: id, clientIdSuffix: false, ...seed });
  const status = await rig.connection.handlers['connection.open']({ connectionId: id });
  if (status.state !== 'connected') throw new Error(`Could not connect ${id}: ${status.error ?? status.state}`);
}

export interface ReceivedRecord {
  topic: string;
  /** As mosquitto_sub prints them: "k:v k:v". */
  userProperties: string;
  contentType: string;
  responseTopic: string;
  expiry: string;
  formatIndicator: string;
  alias: string;
  qos: string;
  retain: string;
  payloadHex: string;
  correlationHex: string;
}

// Correlation data is binary and comes last: the record markers are long enough that random
// bytes never contain them (a single control byte would, about once in eight 16-byte ids).
const START = '\x02<topograph-record>';
const END = '</topograph-record>\x03';
const SEP = '\x1e';
const FORMAT = `${START}%t${SEP}%P${SEP}%C${SEP}%R${SEP}%E${SEP}%F${SEP}%A${SEP}%q${SEP}%r${SEP}%x${SEP}%D${END}`;

export interface RawSubscriber {
  subscribed: Promise<void>;
  /** Records received so far. */
  records(): ReceivedRecord[];
  /** Resolves once `count` records arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRecord[]>;
  stop(): Promise<void>;
}

function parseRecords(raw: Buffer): ReceivedRecord[] {
  const records: ReceivedRecord[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf(START, at, 'latin1');
    if (start < 0) break;
    const end = raw.indexOf(END, start, 'latin1');
    if (end < 0) break;
    // Correlation data is the last field and may hold any byte: split the text fields before it.
    const body = raw.subarray(start + START.length, end);
    const fields: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < 10; i++) {
      const sep = body.indexOf(0x1e, from);
      fields.push(body.subarray(from, sep));
      from = sep + 1;
    }
    const text = (i: number): string => (fields[i] ?? Buffer.alloc(0)).toString('utf8');
    records.push({
      topic: text(0),
      userProperties: text(1),
      contentType: text(2),
      responseTopic: text(3),
      expiry: text(4),
      formatIndicator: text(5),
      alias: text(6),
      qos: text(7),
      retain: text(8),
      payloadHex: text(9),
      correlationHex: body.subarray(from).toString('hex'),
    });
    at = end + END.length;
  }
  return records;
}

/** mosquitto_sub -V 5 with every property printed; payload and correlation data as hex. */
export function rawSubscriber(broker: MosquittoBroker, filter: string, qos: 0 | 1 | 2 = 2): RawSubscriber {
  const args = ['-oL', binaryPath('mosquitto_sub'), '-V', '5', '-h', broker.host, '-p', String(broker.port), '-t', filter, '-q', String(qos), '-d', '-N', '-F', FORMAT];
  const child = spawnTracked(binaryPath('stdbuf'), args);
  const chunks: Buffer[] = [];
  let markSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => (markSubscribed = resolve));
  child.stdout?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (/Subscribed \(mid: \d+\)/.test(Buffer.concat(chunks).toString('latin1'))) markSubscribed();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const records = (): ReceivedRecord[] => parseRecords(Buffer.concat(chunks));
  return {
    subscribed,
    records,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = records();
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`mosquitto_sub received ${got.length} of ${count} messages. stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => stopProcess(child),
  };
}

export const text = (value: string): ParamsOf<'publish.send'>['message']['payload'] => ({ format: 'text', value });
export const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
