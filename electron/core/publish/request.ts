/**
 * MQTT 5 request/response (§4.10): subscribe to the response topic first, publish the request
 * with Response Topic and Correlation Data, and wait for the reply that carries the same
 * correlation data (replies to other requests on the same topic are ignored).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PublishRequest, RequestReply } from '../../common/api';
import type { MessageRecord, QoS } from '../../common/model';
import { ApiFailure } from '../../common/result';
import type { PublishOutcome } from '../../common/session';
import { topicNameProblem } from '../../common/topic';
import type { ReceivedMessage, Sessions } from '../services';
import { invalid, type Sender } from './sender';

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array): boolean =>
  a !== undefined && a.length === b.length && a.every((byte, i) => byte === b[i]);

export interface RequestDeps {
  sessions: Sessions;
  sender: Sender;
  /** Records the request in the publish history. */
  record(connectionId: string, request: PublishRequest, result: { outcome?: PublishOutcome; error?: string }): void;
}

/** The default response topic: `<topic>/response/<uuid>`, unique per request. */
export function defaultResponseTopic(topic: string): string {
  return `${topic}/response/${randomUUID()}`;
}

export class Requests {
  private readonly pending = new Set<(error: ApiFailure) => void>();

  constructor(private readonly deps: RequestDeps) {}

  async request(connectionId: string, message: PublishRequest, responseTopicInput: string | undefined, timeoutMs: number): Promise<RequestReply> {
    const session = this.deps.sessions.live(connectionId);
    if (session.protocolVersion !== 5) {
      throw new ApiFailure(
        'invalid-argument',
        'Request/response needs MQTT 5: the response topic and correlation data are MQTT 5 properties. Connect with MQTT 5, or publish and subscribe by hand.',
      );
    }
    if (message.topic === '' && responseTopicInput === undefined && message.properties.responseTopic === undefined) {
      throw invalid([{ field: 'responseTopic', message: 'A request without a topic needs a response topic of its own; enter one.' }]);
    }
    const responseTopic = responseTopicInput ?? message.properties.responseTopic ?? defaultResponseTopic(message.topic);
    const topicProblem = topicNameProblem(responseTopic);
    if (topicProblem) throw invalid([{ field: 'responseTopic', message: `The response topic is not valid: ${topicProblem}` }]);
    const correlationData = message.properties.correlationData ?? new Uint8Array(randomBytes(16));
    const request: PublishRequest = { ...message, properties: { ...message.properties, responseTopic, correlationData } };

    // Everything is checked before the subscription, so a refused request leaves no trace at the broker.
    const prepared = this.deps.sender.prepare(connectionId, request);
    const listenQoS = Math.min(1, session.connack?.maximumQoS ?? 2) as QoS;

    let settle: { resolve: (reply: { message: ReceivedMessage; at: number }) => void; reject: (error: ApiFailure) => void } | undefined;
    const reply = new Promise<{ message: ReceivedMessage; at: number }>((resolve, reject) => (settle = { resolve, reject }));
    reply.catch(() => undefined);
    const unlisten = await session.listen(responseTopic, listenQoS, (received) => {
      if (received.topic === responseTopic && sameBytes(received.properties.correlationData, correlationData)) {
        settle?.resolve({ message: received, at: performance.now() });
      }
    });
    const cancel = (error: ApiFailure): void => settle?.reject(error);
    this.pending.add(cancel);
    const timer = setTimeout(
      () =>
        cancel(
          new ApiFailure(
            'io',
            `No reply with this request's correlation data arrived on ${responseTopic} within ${formatSeconds(timeoutMs)}. Check that a responder is subscribed to ${message.topic || 'the request topic'} and answers on the response topic with the correlation data it received, or allow a longer timeout.`,
          ),
        ),
      timeoutMs,
    );
    try {
      const sentAt = performance.now();
      try {
        const outcome = await this.deps.sender.send(prepared);
        this.deps.record(connectionId, request, { outcome });
      } catch (error) {
        this.deps.record(connectionId, request, { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      const { message: received, at } = await reply;
      return { response: toRecord(received), roundTripMs: Math.max(0, at - sentAt), responseTopic };
    } finally {
      clearTimeout(timer);
      this.pending.delete(cancel);
      await unlisten().catch(() => undefined);
    }
  }

  /** Ends every request still waiting (the engine is closing). */
  cancelAll(): void {
    for (const cancel of this.pending) cancel(new ApiFailure('not-connected', 'Topograph is closing; the request was abandoned.'));
  }
}

/**
 * The reply as a MessageRecord with id 0: the data part records it like any message, but its
 * store writes in batches, so the stored id is not known yet when the reply arrives. The reply
 * carries everything the panel shows (payload, properties, time).
 */
function toRecord(message: ReceivedMessage): MessageRecord {
  return {
    id: 0,
    topic: message.topic,
    payload: message.payload,
    time: message.time,
    qos: message.qos,
    retain: message.retain,
    dup: message.dup,
    properties: message.properties,
    recorded: false,
  };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
