/**
 * The subscriptions of one connection: what the person asked for, what the broker's session holds,
 * and the SUBACK answer of each filter. One filter per SUBSCRIBE packet, because a subscription
 * identifier and user properties belong to the packet, not to a filter.
 */
import type { UnsubackOutcome } from '../../common/api';
import type { SubscriptionSpec, SubscriptionState } from '../../common/model';
import { describeSubackCode, describeUnsubackCode } from '../../common/reason-codes';
import { ApiFailure } from '../../common/result';

export interface SubscribeAnswer {
  code: number;
  reasonString?: string;
}

export interface SubscriptionTransport {
  /** Sends one SUBSCRIBE and resolves with its SUBACK code; rejects when the connection closes first. */
  subscribe(spec: SubscriptionSpec): Promise<SubscribeAnswer>;
  /** Sends one UNSUBSCRIBE; resolves with the UNSUBACK code (0 for MQTT 3.x, which has none). */
  unsubscribe(filter: string): Promise<SubscribeAnswer>;
}

interface Entry {
  state: SubscriptionState;
  /** Subscribed for an engine caller (request/response), not shown to the person. */
  hidden: boolean;
}

/** The options that make two subscriptions to one filter differ on the broker. */
const optionsKey = (spec: SubscriptionSpec): string =>
  JSON.stringify([spec.qos, spec.noLocal, spec.retainAsPublished, spec.retainHandling, spec.subscriptionIdentifier ?? 0, spec.userProperties]);

const specOf = (state: SubscriptionState): SubscriptionSpec => {
  const { status: _status, reasonCode: _code, reasonText: _text, ...spec } = state;
  return spec;
};

export class SubscriptionBook {
  private readonly entries = new Map<string, Entry>();
  /** Filter → options key, for what the broker's session holds as far as we know. */
  private readonly inSession = new Map<string, string>();

  constructor(private readonly transport: SubscriptionTransport) {}

  /** What the person sees, in the order subscriptions were made. */
  list(): SubscriptionState[] {
    const out: SubscriptionState[] = [];
    for (const entry of this.entries.values()) if (!entry.hidden) out.push({ ...entry.state });
    return out;
  }

  has(filter: string): boolean {
    return this.entries.has(filter);
  }

  isHidden(filter: string): boolean {
    return this.entries.get(filter)?.hidden === true;
  }

  /** Keeps a subscription on the broker but out of the person's list (an engine caller still listens). */
  hide(filter: string): void {
    const entry = this.entries.get(filter);
    if (entry !== undefined) entry.hidden = true;
  }

  /** Starts over with a profile's default subscriptions (a fresh open). */
  reset(specs: readonly SubscriptionSpec[]): void {
    this.entries.clear();
    this.inSession.clear();
    for (const spec of specs) this.entries.set(spec.filter, { state: { ...spec, status: 'inactive' }, hidden: false });
  }

  /** Adds a subscription, or changes the options of an existing one. */
  async add(spec: SubscriptionSpec, connected: boolean, hidden = false): Promise<SubscriptionState> {
    const entry: Entry = { state: { ...spec, status: connected ? 'pending' : 'inactive' }, hidden };
    this.entries.set(spec.filter, entry);
    if (!connected) return { ...entry.state };
    const held = this.inSession.get(spec.filter);
    if (held !== undefined && held !== optionsKey(spec)) {
      // A SUBSCRIBE should replace the options of an existing subscription [MQTT-3.8.4-3], but
      // mosquitto 2.0 keeps the old No Local / Retain As Published / ...: remove it first.
      this.inSession.delete(spec.filter);
      await this.transport.unsubscribe(spec.filter).catch(() => undefined);
    }
    if (this.entries.get(spec.filter) === entry) await this.send(entry);
    return { ...entry.state };
  }

  /**
   * Removes a subscription; while connected, with an UNSUBSCRIBE whose UNSUBACK is returned. It is
   * sent even for a filter the session is not known to hold (refused, or its SUBACK still on the
   * way): the broker's answer, such as 0x11 "No subscription existed", is the one that counts.
   */
  async remove(filter: string, connected: boolean): Promise<UnsubackOutcome | null> {
    const entry = this.entries.get(filter);
    if (entry === undefined) {
      throw new ApiFailure('not-found', `There is no subscription to ${filter} on this connection.`);
    }
    this.entries.delete(filter);
    if (!connected) return null;
    const answer = await this.transport.unsubscribe(filter);
    const text = describeUnsubackCode(filter, answer.code);
    if (!text.success) {
      // The broker keeps the subscription, so Topograph keeps showing it.
      this.entries.set(filter, entry);
      throw new ApiFailure('refused-by-broker', `${text.text ?? ''}${answer.reasonString ? ` The broker said: "${answer.reasonString}".` : ''}`, {
        reasonCode: answer.code,
      });
    }
    this.inSession.delete(filter);
    return { filter, code: answer.code, name: text.name, ...(answer.reasonString ? { reasonString: answer.reasonString } : {}) };
  }

  /** After CONNACK: subscribe what the broker's session does not already hold with the same options. */
  async onConnected(sessionPresent: boolean): Promise<void> {
    if (!sessionPresent) this.inSession.clear();
    const work: Promise<unknown>[] = [];
    for (const filter of [...this.inSession.keys()]) {
      // Removed while offline: the resumed session still has it.
      if (!this.entries.has(filter)) {
        this.inSession.delete(filter);
        work.push(this.transport.unsubscribe(filter).catch(() => undefined));
      }
    }
    for (const entry of this.entries.values()) {
      if (this.inSession.get(entry.state.filter) === optionsKey(specOf(entry.state))) {
        entry.state.status = 'granted';
      } else {
        entry.state = { ...specOf(entry.state), status: 'pending' };
        work.push(this.send(entry));
      }
    }
    await Promise.all(work);
  }

  /** The connection dropped: nothing is active until the next CONNACK. */
  onDisconnected(): void {
    for (const entry of this.entries.values()) {
      if (entry.state.status !== 'refused') entry.state.status = 'inactive';
    }
  }

  private async send(entry: Entry): Promise<void> {
    const spec = specOf(entry.state);
    let answer: SubscribeAnswer;
    try {
      answer = await this.transport.subscribe(spec);
    } catch {
      // The connection closed first; the next CONNACK sends it again.
      if (this.entries.get(spec.filter) === entry) entry.state.status = 'inactive';
      return;
    }
    // A newer add() or a remove() for the same filter has taken over this entry.
    if (this.entries.get(spec.filter) !== entry) return;
    const text = describeSubackCode(spec.filter, answer.code);
    if (text.granted !== undefined) {
      entry.state = { ...spec, status: 'granted', reasonCode: answer.code };
      this.inSession.set(spec.filter, optionsKey(spec));
    } else {
      const said = answer.reasonString ? ` The broker said: "${answer.reasonString}".` : '';
      entry.state = { ...spec, status: 'refused', reasonCode: answer.code, reasonText: `${text.text ?? text.name}${said}` };
      this.inSession.delete(spec.filter);
    }
  }
}
