import { describe, expect, it } from 'vitest';
import { profileFields } from '../../../electron/common/model';
import { PROFILE_PRESETS } from '../../../electron/common/presets';

const preset = (id: string) => {
  const found = PROFILE_PRESETS.find((p) => p.id === id);
  if (!found) throw new Error(`No preset ${id}.`);
  return found;
};

describe('profile presets', () => {
  it('are valid profile fields with unique ids and a descriptive sentence each', () => {
    expect(new Set(PROFILE_PRESETS.map((p) => p.id)).size).toBe(PROFILE_PRESETS.length);
    for (const p of PROFILE_PRESETS) {
      const parsed = profileFields.safeParse({ name: p.label, ...p.fields });
      expect(parsed.success, `${p.id}: ${parsed.error?.message}`).toBe(true);
      expect(p.description, p.id).toMatch(/^[A-Z].{20,}\.$/s);
    }
  });

  it('cover the public test brokers on their documented ports', () => {
    const ports = (prefix: string) => PROFILE_PRESETS.filter((p) => p.id.startsWith(prefix)).map((p) => [p.fields.transport, p.fields.port]);
    expect(ports('test-mosquitto')).toEqual([
      ['mqtt', 1883],
      ['mqtts', 8883],
      ['ws', 8080],
      ['wss', 8081],
    ]);
    expect(ports('emqx')).toEqual([
      ['mqtt', 1883],
      ['mqtts', 8883],
      ['ws', 8083],
      ['wss', 8084],
    ]);
    expect(preset('emqx-ws').fields.path).toBe('/mqtt');
    expect(preset('test-mosquitto-mqtts').description).toMatch(/download/);
    expect(preset('mosquitto-local').fields).toMatchObject({ host: 'localhost', port: 1883, transport: 'mqtt', protocolVersion: 5 });
  });

  it('set Azure IoT Hub up as a device: MQTT 3.1.1, SAS user name, exact client id', () => {
    expect(preset('azure-iot-hub').fields).toMatchObject({
      transport: 'mqtts',
      port: 8883,
      protocolVersion: 4,
      username: '{hub}.azure-devices.net/{deviceId}/?api-version=2021-04-12',
      clientId: '{deviceId}',
      clientIdSuffix: false,
    });
    expect(preset('azure-iot-hub').description).toMatch(/SAS token/);
  });

  it('set AWS IoT Core up for mutual TLS on 8883 and on 443 with its ALPN name', () => {
    const standard = preset('aws-iot-core').fields;
    const https = preset('aws-iot-core-443').fields;
    expect(standard).toMatchObject({ transport: 'mqtts', port: 8883, protocolVersion: 5 });
    expect(standard.tls?.cert.kind).toBe('file');
    expect(standard.tls?.key.kind).toBe('file');
    expect(https).toMatchObject({ transport: 'mqtts', port: 443 });
    expect(https.tls?.alpn).toEqual(['x-amzn-mqtt-ca']);
  });
});
