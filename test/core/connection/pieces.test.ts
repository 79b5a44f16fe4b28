// The pure pieces of the connection part: backoff, property conversions, packet sizes, the
// protocol log ring, client ids, and the sentences for reason codes and network errors.
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { describeSocketError, describeTlsError } from '../../../electron/common/network-errors';
import {
  describeConnackRefusal,
  describePublishAck,
  describeServerDisconnect,
  describeSubackCode,
  describeUnsubackCode,
  isTransientRefusal,
  reasonCodeName,
} from '../../../electron/common/reason-codes';
import { profileFields } from '../../../electron/common/model';
import { backoffDelay } from '../../../electron/core/connection/backoff';
import { clientIdFor } from '../../../electron/core/connection/session-info';
import { publishPacketSize } from '../../../electron/core/connection/packet-size';
import {
  bytesFromInput,
  fromUserPropertyMap,
  toUserPropertyMap,
  userPropertyOrderLost,
} from '../../../electron/core/connection/properties';
import { ProtocolLog } from '../../../electron/core/connection/protocol-log';

describe('backoff', () => {
  it('doubles from the initial delay up to the maximum, never below half of it', () => {
    const low = (attempt: number) => backoffDelay(attempt, 1000, 30_000, () => 0);
    const high = (attempt: number) => backoffDelay(attempt, 1000, 30_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7].map(high)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect([1, 2, 6].map(low)).toEqual([500, 1000, 15_000]);
    expect(backoffDelay(1000, 1000, 30_000, () => 1)).toBe(30_000);
  });
});

describe('user properties', () => {
  it('groups adjacent repeated names, and sends an interleaved list pair by pair to keep its order', () => {
    const list = [{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'a', value: '3' }];
    expect(toUserPropertyMap(list)).toEqual([{ a: '1' }, { b: '2' }, { a: '3' }]);
    expect(toUserPropertyMap([{ name: 'a', value: '1' }, { name: 'a', value: '2' }, { name: 'b', value: '3' }])).toEqual({ a: ['1', '2'], b: '3' });
    expect(userPropertyOrderLost(list)).toBe(true);
    expect(userPropertyOrderLost([{ name: 'a', value: '1' }, { name: 'a', value: '2' }, { name: 'b', value: '3' }])).toBe(false);
    expect(fromUserPropertyMap({ a: ['1', '3'], b: '2' })).toEqual([{ name: 'a', value: '1' }, { name: 'a', value: '3' }, { name: 'b', value: '2' }]);
    expect(toUserPropertyMap([])).toBeUndefined();
  });

  it('keeps a property named __proto__ as an ordinary entry', () => {
    const map = toUserPropertyMap([{ name: '__proto__', value: 'x' }]);
    expect(Object.keys(map ?? {})).toEqual(['__proto__']);
  });
});

describe('bytes a person typed', () => {
  it('reads text, hex with spaces and base64, and explains bad input', () => {
    expect([...bytesFromInput({ format: 'text', value: 'hé' }, 'payload')]).toEqual([0x68, 0xc3, 0xa9]);
    expect([...bytesFromInput({ format: 'hex', value: '0x01 ff 10' }, 'payload')]).toEqual([1, 255, 16]);
    expect([...bytesFromInput({ format: 'base64', value: 'AQID' }, 'payload')]).toEqual([1, 2, 3]);
    expect(() => bytesFromInput({ format: 'hex', value: 'abc' }, 'will payload')).toThrow('The will payload is not valid hex');
    expect(() => bytesFromInput({ format: 'base64', value: '***' }, 'payload')).toThrow('not valid base64');
  });
});

describe('packet size', () => {
  it('matches mqtt-packet around the remaining-length boundaries', () => {
    const properties = { contentType: 'text/plain', userProperties: { k: ['v', 'w'] }, correlationData: Buffer.from([1, 2]) };
    for (const size of [0, 100, 127, 128, 16_000, 16_383, 16_384, 2_097_151, 2_097_152]) {
      for (const [qos, version] of [[0, 4], [1, 5], [2, 5]] as const) {
        const payload = Buffer.alloc(size);
        const full = mqttPacket.generate(
          { cmd: 'publish', topic: 'a/b', payload, qos, retain: false, dup: false, ...(qos > 0 ? { messageId: 7 } : {}), ...(version === 5 ? { properties } : {}) },
          { protocolVersion: version },
        );
        expect(publishPacketSize({ topic: 'a/b', qos, retain: false, properties }, size, version)).toBe(full.length);
      }
    }
  });
});

describe('protocol log', () => {
  it('keeps the newest entries up to its capacity and pages by sequence number', () => {
    const log = new ProtocolLog(3);
    for (let i = 1; i <= 5; i++) log.add('out', { cmd: 'pingreq' });
    expect(log.get(undefined, 10).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.get(3, 10).map((e) => e.seq)).toEqual([4, 5]);
    expect(log.get(undefined, 2).map((e) => e.seq)).toEqual([4, 5]);
  });

  it('redacts passwords and auth data and shortens payloads', () => {
    const log = new ProtocolLog();
    log.add('out', {
      cmd: 'connect', clientId: 'c', protocolVersion: 5, clean: true, keepalive: 60, username: 'u', password: Buffer.from('hunter2'),
      properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('secret-data') },
    });
    log.add('in', { cmd: 'publish', topic: 't', qos: 0, retain: false, dup: false, payload: Buffer.alloc(1000, 0x41) });
    const [connect, publish] = log.get(undefined, 10);
    expect(JSON.stringify(connect)).not.toMatch(/hunter2|secret-data/);
    expect(connect?.detail).toMatchObject({ password: '‹redacted›', properties: { authenticationData: '‹redacted›' } });
    expect(publish?.summary).toBe('PUBLISH t (QoS 0, 1000 bytes)');
    expect(publish?.detail.payload).toMatchObject({ bytes: 1000, cut: true, text: 'A'.repeat(64) });
  });
});

describe('client ids', () => {
  const profile = (fields: Record<string, unknown>) => ({ ...profileFields.parse({ name: 'p', host: 'h', port: 1, ...fields }), id: 'p', secrets: { password: false, keyPassphrase: false, pfxPassphrase: false, keyPem: false } });
  it('adds the launch suffix when asked, and leaves an empty id to an MQTT 5 broker', () => {
    expect(clientIdFor(profile({ clientId: 'me' }), 'abc123')).toBe('me-abc123');
    expect(clientIdFor(profile({ clientId: 'me', clientIdSuffix: false }), 'abc123')).toBe('me');
    expect(clientIdFor(profile({ clientId: '' }), 'abc123')).toBe('');
    // 3.x never tells the client an assigned id, and a session to resume needs a known one.
    expect(clientIdFor(profile({ clientId: '', protocolVersion: 4 }), 'abc123')).toBe('topograph-abc123');
  });

  it('keeps the client id the same every launch while clean start is off, so the kept session is found again', () => {
    // The suffix option is on by default; a persistent session ignores it.
    expect(clientIdFor(profile({ clientId: 'me', clean: false }), 'abc123')).toBe('me');
    expect(clientIdFor(profile({ clientId: 'me', clean: false, protocolVersion: 4 }), 'def456')).toBe('me');
    // An empty id gets one derived from the profile: the same on the next launch, another for another profile.
    const first = clientIdFor(profile({ clientId: '', clean: false }), 'abc123');
    expect(first).toMatch(/^topograph-[0-9a-f]{12}$/);
    expect(first.length).toBeLessThanOrEqual(23);
    expect(clientIdFor(profile({ clientId: '', clean: false }), 'def456')).toBe(first);
    expect(clientIdFor(profile({ clientId: '', clean: false, protocolVersion: 3 }), 'def456')).toBe(first);
    expect(clientIdFor({ ...profile({ clientId: '', clean: false }), id: 'other' }, 'abc123')).not.toBe(first);
  });
});

describe('reason code sentences', () => {
  it('names codes by packet', () => {
    expect(reasonCodeName('puback', 0x10)).toBe('No matching subscribers');
    expect(reasonCodeName('suback', 0x02)).toBe('Granted QoS 2');
    expect(reasonCodeName('disconnect', 0x00)).toBe('Normal disconnection');
    expect(reasonCodeName('unsuback', 0x11)).toBe('No subscription existed');
    expect(reasonCodeName('connack', 0x9c)).toBe('Use another server');
    expect(reasonCodeName('connack', 0x7f)).toBe('Unknown reason code 0x7F');
  });

  it('explains refusals with the broker reason and the way out', () => {
    expect(describeConnackRefusal({ protocolVersion: 5, code: 0x87 })).toBe(
      'Broker refused the connection: not authorized (0x87). Check the user name and password in this profile.',
    );
    expect(describeConnackRefusal({ protocolVersion: 5, code: 0x9d, serverReference: 'other.example:8883', reasonString: 'moved' })).toBe(
      'Broker refused the connection: server moved (0x9D). The broker said: "moved". Connect to other.example:8883 instead: change the host of this profile.',
    );
    expect(describeConnackRefusal({ protocolVersion: 4, code: 2 })).toMatch(/^Broker refused the connection: identifier rejected \(return code 2\)\. Change the client id/);
    expect(isTransientRefusal(5, 0x89)).toBe(true);
    expect(isTransientRefusal(5, 0x86)).toBe(false);
    expect(isTransientRefusal(4, 3)).toBe(true);
  });

  it('explains server disconnects, acks and subscription answers', () => {
    expect(describeServerDisconnect({ code: 0x8e })).toMatch(/^The broker closed the connection: session taken over \(0x8E\)\. Another client connected with the same client id\./);
    expect(describeServerDisconnect({ code: 0x8b, reasonString: 'bye' })).toContain('The broker said: "bye".');
    expect(describePublishAck('puback', 0x10)).toMatchObject({ success: true, name: 'No matching subscribers' });
    expect(describePublishAck('pubrec', 0x97)).toMatchObject({ success: false, name: 'Quota exceeded' });
    expect(describeSubackCode('a/#', 1)).toEqual({ granted: 1, name: 'Granted QoS 1' });
    expect(describeSubackCode('$share/g/a', 0x9e).text).toBe(
      'The broker refused the subscription to $share/g/a: shared subscriptions not supported (0x9E). The broker does not support shared subscriptions ($share/...).',
    );
    expect(describeUnsubackCode('a', 0x11)).toMatchObject({ success: true });
    expect(describeUnsubackCode('a', 0x87)).toMatchObject({ success: false });
  });

  it('explains network and TLS failures by code', () => {
    const ctx = { host: 'broker.example', port: 8883, transport: 'mqtts' as const };
    expect(describeSocketError('ENOTFOUND', ctx)).toBe(
      "The host name broker.example could not be found (DNS). Check the host of this profile and this computer's network connection.",
    );
    expect(describeSocketError('ECONNREFUSED', ctx)).toContain('8883 is the usual port for MQTT over TLS');
    expect(describeTlsError('DEPTH_ZERO_SELF_SIGNED_CERT', ctx)).toMatch(/self-signed certificate/);
    expect(describeTlsError('ERR_SSL_WRONG_VERSION_NUMBER', ctx)).toMatch(/does not speak TLS/);
    expect(describeTlsError('ECONNREFUSED', ctx)).toBeUndefined();
  });
});
