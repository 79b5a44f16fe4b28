/**
 * Repeated publishing: every `intervalMs`, a counted number of times or until stopped, with the
 * placeholders of topic and payload expanded per send. One send at a time (a slow acknowledgement
 * delays the next instead of piling sends up); missed ticks are skipped, never sent in a burst.
 * The job stops itself at the first failure and says why. The publish history gets one entry
 * per job, when it ends: a job of 10,000 sends must not push everything else out of the history.
 */
import { randomUUID } from 'node:crypto';
import type { PublishRequest, RepeatProgress, RepeatSummary } from '../../common/api';
import { expandTemplate, templateContext, type TemplateContext } from '../../common/payload';
import { ApiFailure } from '../../common/result';
import type { PublishOutcome } from '../../common/session';
import type { EventSink } from '../services';
import { invalid, type Sender } from './sender';

/** Progress events at most this often while running; the final state is always sent at once. */
export const PROGRESS_INTERVAL_MS = 250;
const STOP_WAIT_MS = 3_000;
const FINISHED_KEPT = 100;

/** The request for send number `ctx.counter`: placeholders expanded in the topic and a text payload. */
export function expandRequest(request: PublishRequest, ctx: TemplateContext): PublishRequest {
  const topic = expandTemplate(request.topic, ctx);
  if (!topic.ok) throw invalid([{ field: 'topic', message: `In the topic: ${topic.problem}` }]);
  if (request.payload.format === 'bytes') return { ...request, topic: topic.text };
  const payload = expandTemplate(request.payload.value, ctx);
  if (!payload.ok) throw invalid([{ field: 'payload', message: `In the payload: ${payload.problem}` }]);
  return { ...request, topic: topic.text, payload: { format: request.payload.format, value: payload.text } };
}

interface Job {
  progress: RepeatProgress;
  /** As written, placeholders and all, so the history can load it to run again. */
  request: PublishRequest;
  intervalMs: number;
  lastOutcome?: PublishOutcome;
  stopped: boolean;
  lastEmit: number;
  wake?: () => void;
  timer?: ReturnType<typeof setTimeout>;
  done: Promise<void>;
}

export interface RepeatDeps {
  sender: Sender;
  events: EventSink;
  /** Called once per job when it ends, with its template, its last send's outcome and its count (for the publish history). */
  onJobEnd(connectionId: string, request: PublishRequest, result: { outcome?: PublishOutcome; error?: string; repeat: RepeatSummary }): void;
}

export class RepeatJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly deps: RepeatDeps) {}

  /** Checks the first send completely (nothing starts when it would fail), then starts. */
  start(connectionId: string, request: PublishRequest, intervalMs: number, count: number | undefined): RepeatProgress {
    this.deps.sender.prepare(connectionId, expandRequest(request, templateContext(1)));
    const jobId = randomUUID();
    intervalMs = Math.max(10, intervalMs);
    const job: Job = {
      progress: { jobId, connectionId, sent: 0, ...(count === undefined ? {} : { total: count }), state: 'running' },
      request,
      intervalMs,
      stopped: false,
      lastEmit: 0,
      done: Promise.resolve(),
    };
    this.jobs.set(jobId, job);
    job.done = this.run(job, request, intervalMs, count);
    return { ...job.progress };
  }

  async stop(jobId: string): Promise<RepeatProgress> {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new ApiFailure('not-found', 'That repeat job is not known; it may have finished long ago.');
    if (job.progress.state === 'running') {
      job.stopped = true;
      clearTimeout(job.timer);
      job.wake?.();
      // Let a send in flight finish so the count is final; a broker that never answers cannot hold this up.
      await Promise.race([job.done, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref?.())]);
      if (job.progress.state === 'running') this.finish(job, 'stopped');
    }
    return { ...job.progress };
  }

  async stopAll(): Promise<void> {
    await this.stopWhere(() => true);
  }

  /** Stops the jobs of one profile (it is being deleted). */
  async stopFor(connectionId: string): Promise<void> {
    await this.stopWhere((job) => job.progress.connectionId === connectionId);
  }

  private async stopWhere(which: (job: Job) => boolean): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((job) => job.progress.state === 'running' && which(job)).map((job) => this.stop(job.progress.jobId)));
  }

  private async run(job: Job, request: PublishRequest, intervalMs: number, count: number | undefined): Promise<void> {
    const { connectionId } = job.progress;
    let nextAt = Date.now();
    for (let n = 1; count === undefined || n <= count; n++) {
      await this.sleepUntil(job, nextAt);
      if (job.stopped) break;
      try {
        const sent = expandRequest(request, templateContext(n));
        job.lastOutcome = await this.deps.sender.send(this.deps.sender.prepare(connectionId, sent));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const done = count === undefined ? `${n - 1}` : `${n - 1} of ${count}`;
        this.finish(job, 'failed', `Repeat stopped after ${done} messages: ${message}`);
        return;
      }
      job.progress.sent = n;
      this.emit(job, false);
      nextAt += intervalMs;
      if (nextAt < Date.now()) nextAt = Date.now();
    }
    this.finish(job, job.stopped ? 'stopped' : 'done');
  }

  private sleepUntil(job: Job, at: number): Promise<void> {
    const wait = at - Date.now();
    if (wait <= 0 || job.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      job.wake = resolve;
      job.timer = setTimeout(resolve, wait);
    });
  }

  private finish(job: Job, state: RepeatSummary['state'], error?: string): void {
    if (job.progress.state !== 'running') return;
    job.progress.state = state;
    if (error !== undefined) job.progress.error = error;
    this.emit(job, true);
    const { connectionId, sent, total } = job.progress;
    this.deps.onJobEnd(connectionId, job.request, {
      ...(job.lastOutcome ? { outcome: job.lastOutcome } : {}),
      ...(error !== undefined ? { error } : {}),
      repeat: { sent, ...(total === undefined ? {} : { total }), intervalMs: job.intervalMs, state },
    });
    this.forgetOldJobs();
  }

  private emit(job: Job, force: boolean): void {
    const now = Date.now();
    if (!force && now - job.lastEmit < PROGRESS_INTERVAL_MS) return;
    job.lastEmit = now;
    this.deps.events.emit({ type: 'publish.repeat', progress: { ...job.progress } });
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((job) => job.progress.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.jobs.delete(job.progress.jobId);
  }
}
