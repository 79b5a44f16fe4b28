/**
 * Spreads a total message rate over the demo's streams by weight: each tick every stream earns
 * credit in proportion to its share and sends one message per whole credit. Changing the rate
 * takes effect on the next tick; a stalled event loop never turns into a burst.
 */
export interface DemoStream {
  /** Relative rate: a stream of weight 4 sends four times as often as one of weight 1. */
  weight: number;
  emit(): void;
}

const TICK_MS = 50;

export class RateScheduler {
  private readonly credits: number[];
  private readonly totalWeight: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;

  constructor(
    private readonly streams: readonly DemoStream[],
    private rate: number,
    /** Checked each tick: false skips sending (and earning) while the target cannot publish. */
    private readonly canSend: () => boolean = () => true,
    private readonly random: () => number = Math.random,
  ) {
    this.totalWeight = streams.reduce((sum, stream) => sum + stream.weight, 0) || 1;
    // Random phases, so streams of the same weight do not all fire on the same tick.
    this.credits = streams.map(() => random());
  }

  get messagesPerSecond(): number {
    return this.rate;
  }

  setRate(rate: number): void {
    this.rate = rate;
  }

  start(): void {
    this.last = Date.now();
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    // At most one second's worth per tick: after a pause the demo resumes, it does not catch up.
    const seconds = Math.min(now - this.last, 1000) / 1000;
    this.last = now;
    if (!this.canSend()) return;
    this.streams.forEach((stream, index) => {
      const share = (this.rate * stream.weight) / this.totalWeight;
      let credit = Math.min((this.credits[index] ?? 0) + share * seconds, share + 1);
      while (credit >= 1) {
        stream.emit();
        // A little jitter keeps the streams from looking machine-timed; it averages out.
        credit -= 0.85 + this.random() * 0.3;
      }
      this.credits[index] = credit;
    });
  }
}
