import type { DecodedPayload } from '../../common/api';

/** What one decoder produces; index.ts adds size and timing. */
export type DecoderOutput = Pick<DecodedPayload, 'decoder' | 'language' | 'text'>;

/**
 * A decoder could not read the payload. `message` is the whole sentence shown to the person,
 * ending with what they see instead ("Showing it as hex.").
 */
export class DecodeFailure extends Error {
  override readonly name = 'DecodeFailure';
}

/** "This payload is not valid CBOR: <reason>. Showing it as hex." */
export function notValid(what: string, reason: string): DecodeFailure {
  return new DecodeFailure(`This payload is not ${what}: ${clause(reason)}. Showing it as hex.`);
}

/** A library's error text as a clause: no "Error:" prefix, no trailing full stop, bounded. */
export function clause(reason: string): string {
  const trimmed = reason.trim().replace(/[.\s]+$/, '');
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

export function reasonOf(error: unknown): string {
  return clause(error instanceof Error ? error.message : String(error));
}

/** protobufjs reasons in words a person can act on, the original kept in brackets. */
export function protobufReason(error: unknown): string {
  const reason = reasonOf(error);
  if (reason.startsWith('index out of range')) return `it ends in the middle of a field (${reason})`;
  const wire = /^invalid wire type (\d+) at offset (\d+)/.exec(reason);
  if (wire) return `the field at byte ${wire[2]} has wire type ${wire[1]}, which protobuf does not have (${reason})`;
  return reason;
}
