/**
 * What a session is made of besides its socket: the client id it uses, what the CONNACK granted,
 * and SUBSCRIBE / UNSUBSCRIBE through mqtt.js with their acknowledgement codes.
 */
import { createHash } from 'node:crypto';
import type { IConnackPacket, MqttClient, Packet } from 'mqtt';
import type { ProfileView, SubscriptionSpec } from '../../common/model';
import type { ConnackInfo } from '../../common/session';
import { fromUserPropertyMap, toUserPropertyMap } from './properties';
import type { SubscribeAnswer, SubscriptionTransport } from './subscriptions';

/**
 * The client id a connection uses. The broker finds a kept session by its client id, so with
 * clean start / clean session off the id is the same every launch: a per-launch suffix would leave
 * the old session (and its queued messages) on the broker and start another one each time.
 */
export function clientIdFor(profile: ProfileView, launchSuffix: string): string {
  if (profile.clientId === '') {
    if (!profile.clean) return stableClientId(profile.id);
    // Only MQTT 5 tells the client which id the broker assigned.
    return profile.protocolVersion === 5 ? '' : `topograph-${launchSuffix}`;
  }
  return profile.clientIdSuffix && profile.clean ? `${profile.clientId}-${launchSuffix}` : profile.clientId;
}

/** A generated id that stays the same for a profile: 22 characters, within MQTT 3.1's 23. */
export const stableClientId = (profileId: string): string => `topograph-${createHash('sha256').update(profileId).digest('hex').slice(0, 12)}`;

export function connackInfo(packet: IConnackPacket, protocolVersion: 3 | 4 | 5): ConnackInfo {
  const p = packet.properties ?? {};
  const info: ConnackInfo = {
    sessionPresent: packet.sessionPresent,
    reasonCode: (protocolVersion === 5 ? packet.reasonCode : packet.returnCode) ?? 0,
    userProperties: fromUserPropertyMap(p.userProperties),
  };
  if (p.assignedClientIdentifier !== undefined) info.assignedClientIdentifier = p.assignedClientIdentifier;
  if (p.serverKeepAlive !== undefined) info.serverKeepAlive = p.serverKeepAlive;
  if (p.sessionExpiryInterval !== undefined) info.sessionExpiryInterval = p.sessionExpiryInterval;
  // mqtt-packet reads this byte property as a boolean: false = 0, true = 1 (absent = 2).
  if (p.maximumQoS !== undefined) info.maximumQoS = (p.maximumQoS as unknown) === true || p.maximumQoS === 1 ? 1 : 0;
  if (p.retainAvailable !== undefined) info.retainAvailable = p.retainAvailable;
  if (p.wildcardSubscriptionAvailable !== undefined) info.wildcardSubscriptionAvailable = p.wildcardSubscriptionAvailable;
  if (p.subscriptionIdentifiersAvailable !== undefined) info.subscriptionIdentifiersAvailable = p.subscriptionIdentifiersAvailable;
  if (p.sharedSubscriptionAvailable !== undefined) info.sharedSubscriptionAvailable = p.sharedSubscriptionAvailable;
  if (p.receiveMaximum !== undefined) info.receiveMaximum = p.receiveMaximum;
  if (p.maximumPacketSize !== undefined) info.maximumPacketSize = p.maximumPacketSize;
  if (p.topicAliasMaximum !== undefined) info.topicAliasMaximum = p.topicAliasMaximum;
  if (p.responseInformation !== undefined) info.responseInformation = p.responseInformation;
  if (p.reasonString !== undefined) info.reasonString = p.reasonString;
  if (p.serverReference !== undefined) info.serverReference = p.serverReference;
  return info;
}

/** MQTT 3.x has none of the v5 subscription options; a profile's defaults drop them there. */
export const forVersion = (spec: SubscriptionSpec, protocolVersion: 3 | 4 | 5): SubscriptionSpec =>
  protocolVersion === 5
    ? spec
    : { filter: spec.filter, qos: spec.qos, noLocal: false, retainAsPublished: false, retainHandling: 0, userProperties: [] };

/** SUBSCRIBE / UNSUBSCRIBE on whatever client is connected now (`client()` is undefined when none). */
export function mqttSubscriptions(client: () => MqttClient | undefined, protocolVersion: () => 3 | 4 | 5): SubscriptionTransport {
  return {
    subscribe(spec) {
      const c = client();
      if (c === undefined) return Promise.reject(new Error('not connected'));
      const properties = {
        ...(spec.subscriptionIdentifier !== undefined ? { subscriptionIdentifier: spec.subscriptionIdentifier } : {}),
        ...(spec.userProperties.length > 0 ? { userProperties: toUserPropertyMap(spec.userProperties) } : {}),
      };
      const options =
        protocolVersion() === 5
          ? { qos: spec.qos, nl: spec.noLocal, rap: spec.retainAsPublished, rh: spec.retainHandling, ...(Object.keys(properties).length > 0 ? { properties } : {}) }
          : { qos: spec.qos };
      return new Promise<SubscribeAnswer>((resolve, reject) => {
        c.subscribe(spec.filter, options, (error, _granted, packet) => {
          // A refusal arrives as an error too, with the SUBACK alongside: the code is what counts.
          const code = packet?.granted[0];
          if (typeof code !== 'number') {
            reject(error ?? new Error('No SUBACK'));
            return;
          }
          const reasonString = packet?.properties?.reasonString;
          resolve({ code, ...(reasonString ? { reasonString } : {}) });
        });
      });
    },
    unsubscribe(filter) {
      const c = client();
      if (c === undefined) return Promise.reject(new Error('not connected'));
      return new Promise<SubscribeAnswer>((resolve, reject) => {
        c.unsubscribe(filter, {}, (error, packet) => {
          if (error) {
            reject(error);
            return;
          }
          // UNSUBACK codes never become errors in mqtt.js; MQTT 3.x has none at all.
          const unsuback = packet as Extract<Packet, { cmd: 'unsuback' }> | undefined;
          const reasonString = unsuback?.properties?.reasonString;
          resolve({ code: unsuback?.granted?.[0] ?? 0, ...(reasonString ? { reasonString } : {}) });
        });
      });
    },
  };
}
