/**
 * The engine benchmark: the same QoS 0 stream (N messages over T topics, from a publisher in its
 * own process) received first by a bare mqtt.js subscriber (the ceiling) and then by the engine's
 * data path (tree + store + event flush). Writes bench-results/engine.json.
 *
 * Options (flags or environment): --messages=N (BENCH_MESSAGES, default 500000),
 * --topics=T (BENCH_TOPICS, default 50000), --runs=R (BENCH_RUNS, default 1; the run with the median ratio is reported, every run is in `all_runs`),
 * --micro (only the in-process recorder figures).
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchBroker } from './broker';
import { runMicro } from './micro';
import { loadAverage, machineInfo, round, warnIfBusy } from './stats';
import type { SubscriberResult } from './subscriber';

const here = path.dirname(fileURLToPath(import.meta.url));

function option(name: string, env: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const raw = flag?.split('=')[1] ?? process.env[env];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} must be a positive number, got ${String(raw)}.`);
  return Math.floor(value);
}

const messages = option('messages', 'BENCH_MESSAGES', 500_000);
const topics = option('topics', 'BENCH_TOPICS', 50_000);
const runs = option('runs', 'BENCH_RUNS', 1);
const outDir = process.env.BENCH_RESULTS_DIR ?? path.resolve('bench-results');

interface Phase {
  result: SubscriberResult;
  published: number;
  publishMs: number;
}

type ChildMessage = { type: 'ready' } | { type: 'done'; published: number; ms: number } | { type: 'result'; result: SubscriberResult } | { type: 'error'; message: string };

async function phase(mode: 'ceiling' | 'engine', port: number): Promise<Phase> {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each measured subscriber there.
  const profile = process.env.BENCH_PROFILE;
  const execArgv = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile, mode)}`];
  const subscriber = fork(path.join(here, 'subscriber.js'), [mode, String(port), String(messages)], { stdio: 'inherit', execArgv });
  const fromChild = (child: ReturnType<typeof fork>, type: ChildMessage['type']): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.type === 'error') reject(new Error(`${mode}: ${message.message}`));
        else if (message.type === type) {
          child.off('message', onMessage);
          resolve(message);
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${mode}: a child exited (${String(code)}) before sending "${type}".`)));
    });
  await fromChild(subscriber, 'ready');
  const resultPromise = fromChild(subscriber, 'result');
  resultPromise.catch(() => undefined);
  const publisher = fork(path.join(here, 'publisher.js'), [String(port), String(messages), String(topics)], { stdio: 'inherit' });
  const done = (await fromChild(publisher, 'done')) as Extract<ChildMessage, { type: 'done' }>;
  const { result } = (await resultPromise) as Extract<ChildMessage, { type: 'result' }>;
  // Let the children exit on their own (a CPU profile is written at exit), then make sure.
  await Promise.all(
    [publisher, subscriber].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill(), 30_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    ),
  );
  return { result, published: done.published, publishMs: done.ms };
}

const rate = (p: Phase): number => (p.result.receiveMs > 0 ? p.result.received / (p.result.receiveMs / 1000) : 0);
/** The engine's rate counts until the store has written everything, not just received it. */
const engineRate = (p: Phase): number => (p.result.storedMs > 0 ? p.result.stored / (p.result.storedMs / 1000) : 0);

async function main(): Promise<void> {
  const busyBefore = await warnIfBusy('engine');
  const micro = await runMicro(Math.min(messages, 200_000), topics);
  console.log(`in-process recorder: tree ${micro.treeUsPerMsg} µs/msg, tree + store ${micro.recorderUsPerMsg} µs/msg (writes ${micro.writeUsPerMsg})`);
  if (process.argv.includes('--micro')) return;
  const broker = await startBenchBroker();
  console.log(`engine bench: ${messages} messages over ${topics} topics, ${runs} run(s), broker on ${broker.port}`);
  const rounds: { ceiling: Phase; engine: Phase }[] = [];
  const loadAtStart = loadAverage();
  const allRuns: { ceiling_msgs_per_s: number; engine_msgs_per_s: number; ratio: number; engine_cpu_us_per_msg: number; ceiling_cpu_us_per_msg: number }[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const ceiling = await phase('ceiling', broker.port);
      console.log(`run ${run} ceiling: ${Math.round(rate(ceiling))} msg/s (${ceiling.result.received}/${ceiling.published}), ${ceiling.result.cpuUsPerMessage.toFixed(1)} µs CPU/msg`);
      const engine = await phase('engine', broker.port);
      console.log(`run ${run} engine:  ${Math.round(engineRate(engine))} msg/s (${engine.result.stored}/${engine.published} stored), ${engine.result.cpuUsPerMessage.toFixed(1)} µs CPU/msg (main thread ${engine.result.mainThreadCpuUsPerMessage.toFixed(1)})`);
      allRuns.push({
        ceiling_msgs_per_s: Math.round(rate(ceiling)),
        engine_msgs_per_s: Math.round(engineRate(engine)),
        ratio: round(engineRate(engine) / rate(ceiling), 3),
        ceiling_cpu_us_per_msg: round(ceiling.result.cpuUsPerMessage, 2),
        engine_cpu_us_per_msg: round(engine.result.cpuUsPerMessage, 2),
      });
      rounds.push({ ceiling, engine });
    }
  } finally {
    await broker.stop();
  }
  // The round with the median ratio (the lower middle one of an even count), not the best: one
  // lucky round on a shared machine should not be the headline.
  const ratioOf = (round: { ceiling: Phase; engine: Phase }): number => engineRate(round.engine) / rate(round.ceiling);
  const headline = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor((rounds.length - 1) / 2)];
  if (headline === undefined) return;
  const { ceiling, engine } = headline;
  const q = engine.result.queries;
  const figures = {
    machine: { ...machineInfo(), cpu_busy_before: busyBefore, load_average_start: loadAtStart, load_average_end: loadAverage() },
    params: { messages, topics, runs, qos: 0 },
    published: engine.published,
    ceiling_msgs_per_s: Math.round(rate(ceiling)),
    ceiling_received: ceiling.result.received,
    engine_msgs_per_s: Math.round(engineRate(engine)),
    engine_receive_msgs_per_s: Math.round(rate(engine)),
    ratio: round(engineRate(engine) / rate(ceiling), 3),
    stored: engine.result.stored,
    dropped: engine.published - engine.result.stored,
    peak_rss_mb: round(engine.result.peakRssMb, 1),
    peak_heap_mb: round(engine.result.peakHeapMb, 1),
    ceiling_peak_rss_mb: round(ceiling.result.peakRssMb, 1),
    // Reopening the profile's store after the run and rebuilding its tree from disk (the restart path).
    reopen_ms: round(engine.result.reopenMs ?? 0, 1),
    disk_bytes_per_message: round(engine.result.diskBytes / Math.max(1, engine.result.stored), 1),
    backpressure_samples: engine.result.backpressureSamples,
    ceiling_cpu_us_per_msg: round(ceiling.result.cpuUsPerMessage, 2),
    engine_cpu_us_per_msg: round(engine.result.cpuUsPerMessage, 2),
    engine_main_thread_cpu_us_per_msg: round(engine.result.mainThreadCpuUsPerMessage, 2),
    deltas_per_s: round(engine.result.deltas.perSecond, 1),
    delta_mean_nodes: round(engine.result.deltas.meanNodes, 1),
    delta_mean_bytes: Math.round(engine.result.deltas.meanBytes),
    history_query_ms_median: q?.deepPage.median,
    history_query_ms_p95: q?.deepPage.p95,
    latest100_ms_median: q?.latest100.median,
    latest100_ms_p95: q?.latest100.p95,
    subtree_range_ms_median: q?.subtreeRange.median,
    subtree_range_ms_p95: q?.subtreeRange.p95,
    search_ms_median: q === undefined ? undefined : Math.max(q.searchSubstring.median, q.searchWildcard.median),
    search_substring_ms_median: q?.searchSubstring.median,
    search_wildcard_ms_median: q?.searchWildcard.median,
    search_payload_ms_median: q?.searchPayload.median,
    all_runs: allRuns,
    micro,
    queries: q,
  };
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'engine.json');
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(JSON.stringify({ ...figures, queries: undefined }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
