/** UTF-8 text and JSON. */
import { jsonProblem } from '../../common/json-check';
import { firstInvalidUtf8 } from '../../common/payload';
import { type DecoderOutput, notValid } from './failure';
import { reindentJson } from './json-format';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why `payload` is not UTF-8, or undefined when it is. */
export function utf8Problem(payload: Uint8Array): string | undefined {
  const at = firstInvalidUtf8(payload);
  if (at < 0) return undefined;
  const byte = (payload[at] as number).toString(16).padStart(2, '0');
  return `the byte 0x${byte} at offset ${at} does not start or continue a UTF-8 character`;
}

export function decodeText(payload: Uint8Array): DecoderOutput {
  const problem = utf8Problem(payload);
  if (problem !== undefined) throw notValid('valid UTF-8 text', problem);
  return { decoder: 'text', language: 'plaintext', text: utf8.decode(payload) };
}

export function decodeJson(payload: Uint8Array): DecoderOutput {
  const problem = utf8Problem(payload);
  if (problem !== undefined) throw notValid('valid JSON', `it is not UTF-8 text (${problem})`);
  return formatJsonText(utf8.decode(payload));
}

/** `text` checked and pretty-printed; `checked` skips the check when the caller just made it. */
export function formatJsonText(text: string, checked = false): DecoderOutput {
  if (!checked) {
    const problem = jsonProblem(text);
    if (problem !== undefined) throw notValid('valid JSON', `${problem.reason} (line ${problem.line}, column ${problem.column})`);
  }
  return { decoder: 'json', language: 'json', text: reindentJson(text) };
}
