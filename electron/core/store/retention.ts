/**
 * Retention, planned a little at a time for each write job (never a full scan per write): the
 * topics a batch touched are trimmed to `maxPerTopic`; total bytes and age are brought back under
 * their limits from the oldest rows on, a bounded number per job. The writer never deletes the
 * latest message of a topic.
 */
import type { RetentionSettings } from '../../common/model';
import type { Ledger } from './ledger';
import type { EvictOrder } from './write-job';

/** Rows deleted for size or age in one job at most, so a job stays short. */
const EVICT_BUDGET = 20_000;
/** How often the oldest-first scan starts over, to reach rows that stopped being a topic's latest. */
const CURSOR_RESET_MS = 60_000;
/** Age is checked at most this often. */
const AGE_CHECK_MS = 1_000;

export class RetentionPlanner {
  private cursor = 0;
  private cursorSetAt = 0;
  private lastAgeCheck = 0;
  /** Set when the settings changed: the next job applies them to everything on disk. */
  private everywhere = true;

  constructor(
    private readonly ledger: Ledger,
    private current: RetentionSettings,
  ) {}

  get settings(): RetentionSettings {
    return this.current;
  }

  set settings(settings: RetentionSettings) {
    this.current = settings;
    this.everywhere = true;
  }

  /**
   * [topicId, excess] pairs for the topics of a batch (`added`: topic id → rows in the batch), or
   * for every topic after a settings change.
   */
  trims(added: Map<number, number>): number[] {
    const trims: number[] = [];
    const max = this.current.maxPerTopic;
    if (this.everywhere) {
      for (const topicId of this.ledger.over(0)) {
        const excess = this.ledger.count(topicId) + (added.get(topicId) ?? 0) - max;
        if (excess > 0) trims.push(topicId, excess);
      }
      for (const [topicId, count] of added) if (this.ledger.count(topicId) === 0 && count > max) trims.push(topicId, count - max);
      return trims;
    }
    for (const [topicId, count] of added) {
      const excess = this.ledger.count(topicId) + count - max;
      if (excess > 0) trims.push(topicId, excess);
    }
    return trims;
  }

  /** The size and age eviction for a job, or null when nothing is due. */
  evict(bytesAfterInsert: number, now: number): EvictOrder | null {
    const { maxBytes, maxAgeSeconds } = this.current;
    const everywhere = this.everywhere;
    this.everywhere = false;
    const checkAge = maxAgeSeconds > 0 && (everywhere || Math.abs(now - this.lastAgeCheck) >= AGE_CHECK_MS);
    if (bytesAfterInsert <= maxBytes && !checkAge) return null;
    if (checkAge) this.lastAgeCheck = now;
    if (everywhere || Math.abs(now - this.cursorSetAt) >= CURSOR_RESET_MS) {
      this.cursor = 0;
      this.cursorSetAt = now;
    }
    return {
      maxBytes,
      cutoff: checkAge ? now - maxAgeSeconds * 1000 : null,
      cursor: this.cursor,
      budget: everywhere ? null : EVICT_BUDGET,
    };
  }

  /** After a job: where the next scan starts. */
  scanned(cursor: number): void {
    this.cursor = cursor;
  }

  /** True while new settings wait to be applied to everything on disk. */
  get pending(): boolean {
    return this.everywhere;
  }

  /** After a failed job: plan it again from scratch (`everywhere`: the job was to apply new settings). */
  failed(everywhere: boolean): void {
    this.cursor = 0;
    if (everywhere) this.everywhere = true;
  }
}
