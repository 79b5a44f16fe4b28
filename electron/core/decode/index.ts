/**
 * Payload decoding for the inspector. Runs in the engine so megabyte payloads never block the
 * UI; every view is bounded (hex and base64 dumps are cut with a line that says so).
 *
 * A decoder that cannot read the payload never throws: the result is a hex dump with `error`
 * saying why. "auto" picks by topic and content (common/detect.ts) and, since nobody asked for
 * the decoder it guessed, falls back quietly: a Sparkplug topic whose payload is not Sparkplug
 * is judged by its content, and content that will not decode after all is shown as hex.
 */
import type { DecodedPayload, DecoderName } from '../../common/api';
import { detectContent, isSparkplugTopic, type Detection } from '../../common/detect';
import { hexdump } from '../../common/hexdump';
import { decodeBase64 } from './base64';
import { decodeCbor, decodeMsgpack } from './binary';
import { DecodeFailure, type DecoderOutput, reasonOf } from './failure';
import { decodeProtobuf, type ProtoSource } from './protobuf';
import { decodeSparkplug } from './sparkplug';
import { decodeJson, decodeText, formatJsonText } from './text';

export interface DecodeOptions {
  decoder: DecoderName;
  topic: string;
  /**
   * For Sparkplug DATA: the latest NBIRTH (node metrics) or DBIRTH (device metrics) payload of
   * the same edge node or device, whose metric names and datatypes fill in alias-only metrics.
   */
  birth?: Uint8Array;
  /** For protobuf: the .proto text and the message type (full or unambiguous short name). */
  proto?: ProtoSource;
}

type Chosen = Exclude<DecoderName, 'auto'>;

const LABELS: Record<Chosen, string> = {
  text: 'text',
  json: 'JSON',
  hex: 'hex',
  base64: 'base64',
  cbor: 'CBOR',
  msgpack: 'MessagePack',
  sparkplug: 'Sparkplug B',
  protobuf: 'protobuf',
};

function asHex(payload: Uint8Array): DecoderOutput {
  return { decoder: 'hex', language: 'hexdump', text: hexdump(payload) };
}

function run(decoder: Chosen, payload: Uint8Array, options: DecodeOptions): DecoderOutput {
  switch (decoder) {
    case 'text':
      return decodeText(payload);
    case 'json':
      return decodeJson(payload);
    case 'hex':
      return asHex(payload);
    case 'base64':
      return decodeBase64(payload);
    case 'cbor':
      return decodeCbor(payload);
    case 'msgpack':
      return decodeMsgpack(payload);
    case 'sparkplug':
      return decodeSparkplug(payload, options.topic, options.birth);
    case 'protobuf':
      return decodeProtobuf(payload, options.proto);
  }
}

/** The decoder the person chose; a failure becomes hex with the reason as a sentence. */
function runChosen(decoder: Chosen, payload: Uint8Array, options: DecodeOptions): DecoderOutput & { error?: string } {
  try {
    return run(decoder, payload, options);
  } catch (error) {
    const message =
      error instanceof DecodeFailure
        ? error.message
        : `This payload could not be decoded as ${LABELS[decoder]}: ${reasonOf(error)}. Showing it as hex.`;
    return { ...asHex(payload), error: message };
  }
}

function fromDetection(detection: Detection, payload: Uint8Array, options: DecodeOptions): DecoderOutput {
  const { decoder, text } = detection;
  if (decoder === 'json' && text !== undefined) return formatJsonText(text, true);
  if (decoder === 'text' && text !== undefined) return { decoder: 'text', language: 'plaintext', text };
  return run(decoder, payload, options);
}

function runAuto(payload: Uint8Array, options: DecodeOptions): DecoderOutput {
  if (isSparkplugTopic(options.topic)) {
    try {
      return decodeSparkplug(payload, options.topic, options.birth);
    } catch {
      // Not Sparkplug after all (a misbehaving publisher): let the content decide.
    }
  }
  try {
    return fromDetection(detectContent(payload), payload, options);
  } catch {
    return asHex(payload);
  }
}

/** The payload as the inspector shows it; never throws for any bytes or options. */
export function decodePayload(payload: Uint8Array, options: DecodeOptions): DecodedPayload {
  const started = performance.now();
  const output = options.decoder === 'auto' ? runAuto(payload, options) : runChosen(options.decoder, payload, options);
  const ms = Math.round((performance.now() - started) * 100) / 100;
  return { ...output, size: payload.length, ms };
}
