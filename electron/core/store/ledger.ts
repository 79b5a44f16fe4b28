/**
 * What the store knows about its rows without asking SQLite: messages kept per topic, the latest
 * message id of each topic, total rows and payload bytes. Changes made inside a write transaction
 * are journaled so a failed transaction can put the numbers back exactly.
 */
export class Ledger {
  private readonly counts: number[] = [];
  private readonly latestIds: number[] = [];
  rows = 0;
  bytes = 0;
  private journal: number[] | undefined;
  private savedRows = 0;
  private savedBytes = 0;

  count(topicId: number): number {
    return this.counts[topicId] ?? 0;
  }

  /** The newest stored message of a topic (0 = none); retention never deletes it. */
  latest(topicId: number): number {
    return this.latestIds[topicId] ?? 0;
  }

  /** Topic ids that have at least one stored message. */
  *topics(): IterableIterator<number> {
    for (let id = 0; id < this.counts.length; id++) if ((this.counts[id] ?? 0) > 0) yield id;
  }

  /** Sets a topic's figures as found on disk at open. */
  load(topicId: number, count: number, latestId: number): void {
    this.counts[topicId] = count;
    this.latestIds[topicId] = latestId;
    this.rows += count;
  }

  added(topicId: number, id: number, size: number): void {
    this.save(topicId);
    this.counts[topicId] = this.count(topicId) + 1;
    if (id > this.latest(topicId)) this.latestIds[topicId] = id;
    this.rows++;
    this.bytes += size;
  }

  removed(topicId: number, size: number): void {
    this.save(topicId);
    this.counts[topicId] = this.count(topicId) - 1;
    this.rows--;
    this.bytes -= size;
  }

  begin(): void {
    this.journal = [];
    this.savedRows = this.rows;
    this.savedBytes = this.bytes;
  }

  commit(): void {
    this.journal = undefined;
  }

  rollback(): void {
    const journal = this.journal;
    if (journal === undefined) return;
    for (let i = journal.length - 3; i >= 0; i -= 3) {
      const topicId = journal[i] as number;
      this.counts[topicId] = journal[i + 1] as number;
      this.latestIds[topicId] = journal[i + 2] as number;
    }
    this.rows = this.savedRows;
    this.bytes = this.savedBytes;
    this.journal = undefined;
  }

  private save(topicId: number): void {
    this.journal?.push(topicId, this.count(topicId), this.latest(topicId));
  }
}
