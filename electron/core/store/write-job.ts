/** What the store's writer is asked to do in one transaction, and what it answers. */

/** Messages packed into a few transferable buffers: one structured clone per batch, not per message. */
export interface WriteJob {
  /** Topics first seen since the last job: [id, topic] pairs. */
  topics: [number, string][];
  count: number;
  ids: Float64Array;
  topicIds: Float64Array;
  times: Float64Array;
  flags: Uint8Array;
  /** Payload i is bytes[offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
  bytes: Uint8Array;
  /** Encoded properties per message, null for none (most). */
  props: (Uint8Array | null)[];
  /** [topicId, how many of its oldest rows to delete] pairs: maxPerTopic. */
  trims: number[];
  /** Size and age eviction, oldest rows first; the latest row of a topic is skipped. */
  evict: EvictOrder | null;
  /** Payload bytes stored once this job's rows are in: the writer keeps the total as it deletes. */
  bytesAfterInsert: number;
}

export interface EvictOrder {
  maxBytes: number;
  /** Rows older than this (epoch ms) go; null = no age limit. */
  cutoff: number | null;
  /** Start after this id: rows up to it were all some topic's latest when last scanned. */
  cursor: number;
  /** Rows deleted at most (a write stays short); null = no limit. */
  budget: number | null;
}

export interface WriteResult {
  written: number;
  /** [topicId, payload size] of each row deleted by retention. */
  deleted: number[];
  /** Where the next eviction scan may start. */
  cursor: number;
  /** Payload bytes stored after this job. */
  bytes: number;
}

/** A failed job: SQLite's code (SQLITE_FULL, ...) and message. */
export interface WriteFailure {
  code: string;
  message: string;
}

/** The buffers of a job, to transfer rather than copy. */
export function transferList(job: WriteJob): ArrayBuffer[] {
  return [job.ids.buffer, job.topicIds.buffer, job.times.buffer, job.flags.buffer, job.offsets.buffer, job.bytes.buffer] as ArrayBuffer[];
}
