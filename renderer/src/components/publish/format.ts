/** Small formats of the publish panel: sizes, outcomes. */
import { hexCode } from '@common/reason-codes';
import type { PublishOutcome } from '@common/session';

/** "512 B", "1.5 KB", "2.25 MB" (1 KB = 1,024 bytes, as file sizes are shown). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString('en-US')} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "Sent (QoS 0)", "PUBACK: Success (0x00)", "PUBREC: No matching subscribers (0x10)": the packet that carried the code. */
export function describeOutcome(outcome: PublishOutcome, qos: 0 | 1 | 2): string {
  if (outcome.kind === 'sent') return 'Sent (QoS 0)';
  // History entries written before outcomes named their packet say which ones it could be.
  const packet = outcome.packet?.toUpperCase() ?? (qos === 2 ? 'PUBREC/PUBCOMP' : 'PUBACK');
  const code = outcome.reasonCode ?? 0;
  return `${packet}: ${outcome.reasonName ?? 'Success'} (${hexCode(code)})`;
}
