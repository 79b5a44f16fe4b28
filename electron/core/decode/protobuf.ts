/**
 * Protobuf payloads decoded with a .proto definition the person supplies (protobufjs).
 * 64-bit integers come out as exact decimal strings, bytes as base64 and enums by name, as the
 * protobuf JSON mapping writes them; fields left at their default are shown with that default,
 * since proto3 never sends them and a missing field reads like a bug.
 */
import protobuf from 'protobufjs';
import { DecodeFailure, type DecoderOutput, notValid, protobufReason, reasonOf } from './failure';
import { toJsonText } from './json-text';

export interface ProtoSource {
  source: string;
  messageType: string;
}

/** Parsed definitions by source text: people page through many messages of one type. */
const roots = new Map<string, protobuf.Root>();
const MAX_CACHED = 8;

function fail(sentence: string): DecodeFailure {
  return new DecodeFailure(`${sentence} Showing the payload as hex.`);
}

function parseDefinition(source: string): protobuf.Root {
  const cached = roots.get(source);
  if (cached !== undefined) {
    roots.delete(source);
    roots.set(source, cached);
    return cached;
  }
  let parsed: protobuf.IParserResult;
  try {
    parsed = protobuf.parse(source, { keepCase: true });
  } catch (error) {
    const reason = reasonOf(error);
    const line = /\(line (\d+)\)$/.exec(reason);
    const where = line ? ` on line ${line[1]}` : '';
    const what = line ? reason.slice(0, line.index).trim() : reason;
    throw fail(`The .proto definition has a syntax error${where}: ${what}. Correct the .proto text and decode again.`);
  }
  const { root } = parsed;
  // The well-known types (google/protobuf/timestamp.proto, …) ship with protobufjs; nothing
  // else can be fetched, so other imports must be pasted into the same text.
  for (const file of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
    const known = protobuf.common.get(file);
    if (known !== null) root.addJSON(known.nested ?? {});
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw fail(
      `The .proto definition refers to a type it does not define (${reasonOf(error)}). Paste the missing messages or imported files into the definition and decode again.`,
    );
  }
  roots.set(source, root);
  if (roots.size > MAX_CACHED) roots.delete(roots.keys().next().value as string);
  return root;
}

function messageTypes(namespace: protobuf.NamespaceBase, into: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) into.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) messageTypes(nested, into);
  }
  return into;
}

const fullName = (type: protobuf.Type): string => type.fullName.replace(/^\./, '');

/** The type by full name, or by its short name when that names exactly one message. */
function findType(root: protobuf.Root, name: string): protobuf.Type {
  const wanted = name.trim().replace(/^\./, '');
  const all = messageTypes(root).filter((t) => !fullName(t).startsWith('google.protobuf.'));
  const exact = all.find((t) => fullName(t) === wanted);
  if (exact !== undefined) return exact;
  const bySuffix = all.filter((t) => fullName(t).endsWith(`.${wanted}`) || t.name === wanted);
  if (bySuffix.length === 1) return bySuffix[0] as protobuf.Type;
  const names = all.map(fullName);
  const known = names.length === 0 ? 'it defines no message types' : `it defines ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
  if (bySuffix.length > 1) {
    throw fail(`The message type '${wanted}' is ambiguous in the .proto definition (${bySuffix.map(fullName).join(', ')}). Choose the full name.`);
  }
  throw fail(`The .proto definition has no message type '${wanted}' (${known}). Choose one of its message types.`);
}

export function decodeProtobuf(payload: Uint8Array, proto: ProtoSource | undefined): DecoderOutput {
  if (proto === undefined || proto.source.trim() === '') {
    throw fail('No .proto definition is set for this topic, so the payload cannot be read as protobuf. Add the .proto text and a message type in the decoder settings.');
  }
  const type = findType(parseDefinition(proto.source), proto.messageType);
  let message: protobuf.Message;
  try {
    message = type.decode(payload);
  } catch (error) {
    throw notValid(
      `a valid '${fullName(type)}' protobuf message`,
      `${protobufReason(error)}; check that this message type is the one the publisher sends`,
    );
  }
  const object = type.toObject(message, {
    longs: String,
    bytes: String,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
    json: true,
  });
  return { decoder: 'protobuf', language: 'json', text: toJsonText(object) };
}
