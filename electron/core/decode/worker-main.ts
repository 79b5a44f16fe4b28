/**
 * The decode thread's program: decodes each request with the same `decodePayload` the engine
 * runs inline, so both give the same DecodedPayload for the same bytes.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { cappedText } from './capped-text';
import { decodePayload, type DecodeOptions } from './index';
import type { DecodeReply, DecodeRequest } from './worker-protocol';

parentPort?.on('message', ({ id, payload, options: { birth, ...rest }, maxChars }: DecodeRequest) => {
  const options: DecodeOptions = birth === undefined ? rest : { ...rest, birth: new Uint8Array(birth) };
  const reply: DecodeReply = { id, threadId, decoded: cappedText(decodePayload(new Uint8Array(payload), options), maxChars) };
  parentPort?.postMessage(reply);
});
