/**
 * Messages received but not yet written, as parallel columns (no object per message). Written
 * from the head in transactions; a failed transaction leaves its rows at the head to retry.
 */
export class WriteQueue {
  readonly ids: number[] = [];
  readonly topicIds: number[] = [];
  readonly times: number[] = [];
  readonly flags: number[] = [];
  readonly payloads: Uint8Array[] = [];
  readonly props: (Uint8Array | null)[] = [];
  head = 0;
  /** Payload bytes waiting. */
  bytes = 0;

  get length(): number {
    return this.ids.length - this.head;
  }

  push(id: number, topicId: number, time: number, flags: number, payload: Uint8Array, props: Uint8Array | null): void {
    this.ids.push(id);
    this.topicIds.push(topicId);
    this.times.push(time);
    this.flags.push(flags);
    this.payloads.push(payload);
    this.props.push(props);
    this.bytes += payload.length;
  }

  /** Drops the `count` rows at the head (they are on disk now). */
  shift(count: number, bytes: number): void {
    this.head += count;
    this.bytes -= bytes;
    const total = this.ids.length;
    if (this.head === total || (this.head > 65_536 && this.head * 2 > total)) {
      this.dropHead();
    } else {
      // Let go of written payloads now; the slots themselves go at the next dropHead.
      this.payloads.fill(EMPTY, this.head - count, this.head);
    }
  }

  /** Removes the written rows at the head for good (all at once is cheap: arrays keep their capacity). */
  private dropHead(): void {
    const head = this.head;
    const all = head === this.ids.length;
    for (const column of [this.ids, this.topicIds, this.times, this.flags, this.payloads, this.props] as unknown[][]) {
      if (all) column.length = 0;
      else column.splice(0, head);
    }
    this.head = 0;
  }

  /** Index (absolute) of message `id`, or -1. Ids in the queue are ascending. */
  indexOf(id: number): number {
    let lo = this.head;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.ids[mid] as number;
      if (value === id) return mid;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

const EMPTY = new Uint8Array(0);
