/**
 * One publish, from what the person wrote to the broker's answer: encode the payload, check every
 * rule against the live session's CONNACK (nothing is sent when one fails), resolve topic aliases,
 * and hand exactly those bytes and properties to the session.
 */
import type { PublishRequest } from '../../common/api';
import type { PublishProperties } from '../../common/model';
import { encodePayload } from '../../common/payload';
import { checkPublish, describeProblems, type PublishProblem } from '../../common/publish-rules';
import { ApiFailure } from '../../common/result';
import type { PublishOutcome } from '../../common/session';
import type { LiveSession, PublishOptions, Sessions } from '../services';
import type { AliasTables, TopicAliasTable } from './aliases';

export interface PreparedPublish {
  session: LiveSession;
  /** The topic as it goes on the wire (empty when an alias stands for it). */
  wireTopic: string;
  payload: Uint8Array;
  options: PublishOptions;
  /** Said to the person along with the broker's answer. */
  note?: string;
  /** Records the alias this PUBLISH sets or uses, once it went out. */
  commit(): void;
}

export function invalid(problems: PublishProblem[]): ApiFailure {
  return new ApiFailure('invalid-argument', describeProblems(problems), { problems });
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const text = notes.filter((note) => note !== undefined && note !== '').join(' ');
  return text === '' ? undefined : text;
}

export class Sender {
  constructor(
    private readonly sessions: Sessions,
    private readonly aliases: AliasTables,
  ) {}

  /** Checks `request` on the connection's live session; throws ApiFailure('invalid-argument') with every problem. */
  prepare(connectionId: string, request: PublishRequest): PreparedPublish {
    const session = this.sessions.live(connectionId);
    const encoded = encodePayload(request.payload);
    if (!encoded.ok) {
      const { message, line, column } = encoded.problem;
      throw invalid([{ field: 'payload', message, ...(line === undefined ? {} : { line, column }) } as PublishProblem]);
    }
    const v5 = session.protocolVersion === 5;
    const table = this.aliases.for(connectionId, session.connack);
    const check = checkPublish(
      { topic: request.topic, payload: encoded.bytes, qos: request.qos, retain: request.retain, properties: request.properties, autoTopicAlias: request.autoTopicAlias },
      { protocolVersion: session.protocolVersion, connack: session.connack },
      (alias) => table.knows(alias),
    );
    if (check.problems.length > 0) throw invalid(check.problems);

    // Below MQTT 5 there is nothing to send but topic, QoS, retain and payload.
    const properties: PublishProperties = v5 ? withoutEmptyLists(request.properties) : {};
    const base = { session, payload: encoded.bytes };
    const options = (props: PublishProperties): PublishOptions => ({ qos: request.qos, retain: request.retain, properties: props });

    if (v5 && request.autoTopicAlias) return this.autoAlias(table, request.topic, properties, base, options);
    const alias = properties.topicAlias;
    return {
      ...base,
      wireTopic: request.topic,
      options: options(properties),
      commit: () => {
        if (alias !== undefined) table.use(alias, request.topic);
      },
    };
  }

  private autoAlias(
    table: TopicAliasTable,
    topic: string,
    properties: PublishProperties,
    base: { session: LiveSession; payload: Uint8Array },
    options: (props: PublishProperties) => PublishOptions,
  ): PreparedPublish {
    const plan = table.plan(topic);
    if (plan === undefined) {
      return {
        ...base,
        wireTopic: topic,
        options: options(properties),
        note: 'The broker allows no topic aliases (Topic Alias Maximum 0), so the topic was sent in full.',
        commit: () => undefined,
      };
    }
    return {
      ...base,
      wireTopic: plan.topic,
      options: options({ ...properties, topicAlias: plan.alias }),
      note: plan.defines ? `Sent with the topic and topic alias ${plan.alias}; later sends use the alias alone.` : `Sent as topic alias ${plan.alias}, without the topic.`,
      commit: () => table.use(plan.alias, plan.topic),
    };
  }

  /** Sends a prepared publish; the broker's refusal comes back as ApiFailure('refused-by-broker'). */
  async send(prepared: PreparedPublish): Promise<PublishOutcome> {
    const outcome = await prepared.session.publish(prepared.wireTopic, prepared.payload, prepared.options);
    // Only a PUBLISH known to be written defines its alias for later sends; until then a concurrent
    // send defines it again (harmless), rather than risk an alias the broker has not seen yet.
    prepared.commit();
    const note = joinNotes(outcome.note, prepared.note);
    return note === undefined ? outcome : { ...outcome, note };
  }
}

function withoutEmptyLists(properties: PublishProperties): PublishProperties {
  if (properties.userProperties === undefined || properties.userProperties.length > 0) return properties;
  const { userProperties: _empty, ...rest } = properties;
  return rest;
}
