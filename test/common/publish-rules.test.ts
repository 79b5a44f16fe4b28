import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { PublishProperties, QoS } from '../../electron/common/model';
import { checkPublish, publishPacketSize, type PublishDraft, type SessionLimits } from '../../electron/common/publish-rules';
import type { ConnackInfo } from '../../electron/common/session';

const connack = (extra: Partial<ConnackInfo> = {}): ConnackInfo => ({ sessionPresent: false, reasonCode: 0, userProperties: [], ...extra });
const v5 = (extra: Partial<ConnackInfo> = {}): SessionLimits => ({ protocolVersion: 5, connack: connack(extra) });
const v311: SessionLimits = { protocolVersion: 4, connack: connack() };
const draft = (extra: Partial<PublishDraft> = {}): PublishDraft => ({
  topic: 'a/b',
  payload: new Uint8Array([1, 2, 3]),
  qos: 0,
  retain: false,
  properties: {},
  ...extra,
});
const fields = (d: PublishDraft, limits: SessionLimits) => checkPublish(d, limits).problems.map((p) => p.field);

/** What mqtt-packet (mqtt.js's writer) actually produces, for comparison. */
function wireSize(topic: string, qos: QoS, payload: number, properties: PublishProperties, protocolVersion: 4 | 5): number {
  const userProperties = properties.userProperties?.map(({ name, value }) => ({ [name]: value }));
  const packet = {
    cmd: 'publish' as const,
    topic,
    payload: Buffer.alloc(payload, 0x61),
    qos,
    retain: false,
    dup: false,
    ...(qos > 0 ? { messageId: 42 } : {}),
    ...(protocolVersion === 5
      ? {
          properties: {
            ...properties,
            ...(properties.correlationData ? { correlationData: Buffer.from(properties.correlationData) } : {}),
            ...(userProperties ? { userProperties } : {}),
          },
        }
      : {}),
  };
  return mqttPacket.generate(packet as unknown as mqttPacket.IPublishPacket, { protocolVersion }).length;
}

describe('packet size', () => {
  const shapes: [string, QoS, number, PublishProperties][] = [
    ['a', 0, 0, {}],
    ['sensors/é/温度', 1, 120, {}],
    ['x', 2, 16_380, { payloadFormatIndicator: true, messageExpiryInterval: 60, contentType: 'application/json' }],
    ['', 1, 5, { topicAlias: 3 }],
    ['t', 0, 2_097_200, { responseTopic: 'r/1', correlationData: new Uint8Array(16) }],
    ['t/u', 1, 70, { userProperties: [{ name: 'a', value: '1' }, { name: 'b', value: 'zwei' }, { name: 'a', value: 'ü' }] }],
    ['t', 0, 126, {}],
    ['t', 0, 127, {}],
    ['long/'.repeat(30), 2, 300, { userProperties: Array.from({ length: 40 }, (_, i) => ({ name: `k${i}`, value: 'v'.repeat(i) })) }],
  ];

  it.each(shapes)('matches the bytes mqtt.js writes for %j (QoS %i, %i payload bytes)', (topic, qos, payload, properties) => {
    for (const protocolVersion of [4, 5] as const) {
      if (protocolVersion === 4 && topic === '') continue;
      expect(publishPacketSize({ topic, qos, payloadLength: payload, properties, protocolVersion })).toBe(
        wireSize(topic, qos, payload, protocolVersion === 5 ? properties : {}, protocolVersion),
      );
    }
  });

  it('refuses a packet above the broker maximum, and names both sizes', () => {
    const result = checkPublish(draft({ payload: new Uint8Array(995) }), v5({ maximumPacketSize: 1000 }));
    expect(result.packetSize).toBe(1 + 2 + 2 + 3 + 1 + 995);
    expect(result.problems).toEqual([
      {
        field: 'packet',
        message:
          'The PUBLISH packet would be 1,004 bytes, but the broker accepts at most 1,000 bytes (Maximum Packet Size in its CONNACK). Shorten the payload, the topic or the properties.',
      },
    ]);
    expect(fields(draft({ payload: new Uint8Array(991) }), v5({ maximumPacketSize: 1000 }))).toEqual([]);
  });

  it('counts an automatic alias in the first, full form', () => {
    const plain = checkPublish(draft(), v5({ topicAliasMaximum: 5 })).packetSize;
    expect(checkPublish(draft({ autoTopicAlias: true }), v5({ topicAliasMaximum: 5 })).packetSize).toBe(plain + 3);
  });
});

describe('topic', () => {
  it('refuses wildcards and an empty topic without an alias', () => {
    expect(checkPublish(draft({ topic: 'a/+' }), v5()).problems[0]?.message).toMatch(/wildcards/);
    expect(checkPublish(draft({ topic: '' }), v5()).problems[0]?.message).toMatch(/empty/);
    expect(fields(draft({ topic: '' }), v311)).toContain('topic');
  });

  it('allows an empty topic with an alias the connection already knows', () => {
    const d = draft({ topic: '', properties: { topicAlias: 2 } });
    expect(fields(d, v5({ topicAliasMaximum: 4 }))).toEqual([]);
    const check = checkPublish(d, v5({ topicAliasMaximum: 4 }), (alias) => alias === 1);
    expect(check.problems[0]?.message).toMatch(/alias 2 does not stand for a topic on this connection yet/);
    expect(fields(d, v5({ topicAliasMaximum: 4 }))).toEqual([]);
  });

  it('needs a topic for automatic aliases', () => {
    expect(checkPublish(draft({ topic: '', autoTopicAlias: true }), v5({ topicAliasMaximum: 4 })).problems[0]?.message).toMatch(
      /automatic topic aliases are assigned to topics you name/,
    );
  });
});

describe('broker limits', () => {
  it('refuses QoS above the broker maximum', () => {
    expect(checkPublish(draft({ qos: 2 }), v5({ maximumQoS: 1 })).problems).toEqual([
      { field: 'qos', message: 'The broker allows at most QoS 1 (Maximum QoS in its CONNACK); choose QoS 0 or 1.' },
    ]);
    expect(fields(draft({ qos: 2 }), v5())).toEqual([]);
    expect(fields(draft({ qos: 1 }), v5({ maximumQoS: 0 }))).toEqual(['qos']);
  });

  it('refuses retain when the broker has none', () => {
    expect(fields(draft({ retain: true }), v5({ retainAvailable: false }))).toEqual(['retain']);
    expect(fields(draft({ retain: true }), v5())).toEqual([]);
  });

  it('keeps topic aliases within 1..Topic Alias Maximum', () => {
    expect(fields(draft({ properties: { topicAlias: 3 } }), v5({ topicAliasMaximum: 3 }))).toEqual([]);
    expect(checkPublish(draft({ properties: { topicAlias: 4 } }), v5({ topicAliasMaximum: 3 })).problems[0]?.message).toBe(
      "The topic alias must be between 1 and 3, the broker's Topic Alias Maximum.",
    );
    expect(checkPublish(draft({ properties: { topicAlias: 0 } }), v5({ topicAliasMaximum: 3 })).problems[0]?.field).toBe('topicAlias');
    expect(checkPublish(draft({ properties: { topicAlias: 1 } }), v5()).problems[0]?.message).toMatch(/accepts no topic aliases/);
    expect(fields(draft({ autoTopicAlias: true, properties: { topicAlias: 1 } }), v5({ topicAliasMaximum: 3 }))).toEqual(['topicAlias']);
  });
});

describe('MQTT 5 properties', () => {
  it('refuses non-UTF-8 payloads when the format indicator says UTF-8', () => {
    const bad = draft({ payload: new Uint8Array([0x68, 0x69, 0xff]), properties: { payloadFormatIndicator: true } });
    expect(checkPublish(bad, v5()).problems).toEqual([
      {
        field: 'payload',
        message:
          'The payload is not valid UTF-8 (byte 2 breaks it), but the payload format indicator says it is. Turn the indicator off, or send UTF-8 text.',
      },
    ]);
    expect(fields({ ...bad, properties: { payloadFormatIndicator: false } }, v5())).toEqual([]);
  });

  it('checks the response topic as a topic name', () => {
    expect(checkPublish(draft({ properties: { responseTopic: 'r/#' } }), v5()).problems[0]?.message).toMatch(/^A response topic cannot contain the wildcards/);
    expect(checkPublish(draft({ properties: { responseTopic: '' } }), v5()).problems[0]?.message).toMatch(/response topic is empty/);
    expect(fields(draft({ properties: { responseTopic: 'replies/1' } }), v5())).toEqual([]);
  });

  it('points at the user property that is wrong', () => {
    const problems = checkPublish(
      draft({ properties: { userProperties: [{ name: 'ok', value: 'fine' }, { name: 'bad\u0000', value: 'x' }] } }),
      v5(),
    ).problems;
    expect(problems).toEqual([{ field: 'userProperties', index: 1, message: 'The name of user property 2 contains a null character (U+0000), which MQTT forbids.' }]);
  });

  it('accepts repeated and interleaved user property names: they are sent in order', () => {
    const list = (names: string) => [...names].map((name, i) => ({ name, value: String(i) }));
    expect(checkPublish(draft({ properties: { userProperties: list('aab') } }), v5()).problems).toEqual([]);
    expect(checkPublish(draft({ properties: { userProperties: list('abca') } }), v5()).problems).toEqual([]);
  });

  it('refuses every MQTT 5 field on 3.1.1, and lets plain publishes through', () => {
    const all: PublishProperties = {
      payloadFormatIndicator: true,
      messageExpiryInterval: 5,
      contentType: 'x',
      responseTopic: 'r',
      correlationData: new Uint8Array([1]),
      userProperties: [{ name: 'a', value: 'b' }],
      topicAlias: 1,
    };
    const problems = checkPublish(draft({ properties: all }), v311).problems;
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['contentType', 'correlationData', 'messageExpiryInterval', 'payloadFormatIndicator', 'responseTopic', 'topicAlias', 'userProperties'].sort(),
    );
    expect(problems[0]?.message).toMatch(/^MQTT 3\.1\.1 has no PUBLISH properties/);
    expect(fields(draft({ properties: { userProperties: [] }, autoTopicAlias: true }), v311)).toEqual([]);
  });
});
