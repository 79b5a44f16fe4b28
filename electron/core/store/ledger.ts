/**
 * What the store knows about its rows without asking SQLite: messages kept per topic, the latest
 * message id of each topic, total rows and payload bytes. It follows what the writer confirms.
 */
export class Ledger {
  private readonly counts: number[] = [];
  private readonly latestIds: number[] = [];
  rows = 0;
  bytes = 0;

  count(topicId: number): number {
    return this.counts[topicId] ?? 0;
  }

  /** The newest stored message of a topic (0 = none). */
  latest(topicId: number): number {
    return this.latestIds[topicId] ?? 0;
  }

  /** Topic ids with more than `limit` messages. */
  over(limit: number): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.counts.length; id++) if ((this.counts[id] ?? 0) > limit) out.push(id);
    return out;
  }

  /** Sets a topic's figures as found on disk at open. */
  load(topicId: number, count: number, latestId: number): void {
    this.counts[topicId] = count;
    this.latestIds[topicId] = latestId;
    this.rows += count;
  }

  added(topicId: number, id: number, size: number): void {
    this.counts[topicId] = this.count(topicId) + 1;
    if (id > this.latest(topicId)) this.latestIds[topicId] = id;
    this.rows++;
    this.bytes += size;
  }

  removed(topicId: number, size: number): void {
    this.counts[topicId] = this.count(topicId) - 1;
    this.rows--;
    this.bytes -= size;
  }
}
