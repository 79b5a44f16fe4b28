/**
 * Starting points for a new profile: well-known public and cloud brokers. Pure data; the UI
 * merges `fields` into a blank profile. `{placeholders}` are for the person to replace.
 */
import type { PemSource, ProfilePreset, QoS, SubscriptionSpec, TlsSettings } from './model';

// Retain As Published (MQTT 5) so live retained messages keep their flag and the tree can mark them.
const sub = (filter: string, qos: QoS = 0): SubscriptionSpec => ({
  filter,
  qos,
  noLocal: false,
  retainAsPublished: true,
  retainHandling: 0,
  userProperties: [],
});

const file = (): PemSource => ({ kind: 'file', value: '' });
const none = (): PemSource => ({ kind: 'none', value: '' });

/** TLS with the system's trusted CAs and no client certificate. */
const publicTls = (): TlsSettings => ({
  ca: none(),
  cert: none(),
  key: none(),
  pfxPath: '',
  rejectUnauthorized: true,
  servername: '',
  alpn: [],
});

/** Mutual TLS: the device certificate and its private key, as files. */
const mutualTls = (alpn: string[] = []): TlsSettings => ({ ...publicTls(), cert: file(), key: file(), alpn });

const awsHost = '{endpoint}-ats.iot.{region}.amazonaws.com';
const awsAbout =
  'Fill in your account\'s device data endpoint (AWS IoT console, Settings) and choose the thing\'s certificate and private key files; ' +
  'the client id is usually the thing name, and the policy attached to the certificate decides what it may publish and subscribe to.';

export const PROFILE_PRESETS: ProfilePreset[] = [
  {
    id: 'mosquitto-local',
    label: 'Mosquitto on this computer',
    description: 'A Mosquitto broker running on this computer on its default port 1883, without TLS, using MQTT 5.',
    fields: { host: 'localhost', port: 1883, transport: 'mqtt', protocolVersion: 5 },
  },
  {
    id: 'test-mosquitto-mqtt',
    label: 'test.mosquitto.org (plain)',
    description: 'The public Mosquitto test broker on port 1883, unencrypted and open to everyone: never send anything private to it.',
    fields: { name: 'test.mosquitto.org', host: 'test.mosquitto.org', port: 1883, transport: 'mqtt', protocolVersion: 5 },
  },
  {
    id: 'test-mosquitto-mqtts',
    label: 'test.mosquitto.org (TLS)',
    description:
      'The public Mosquitto test broker over TLS on port 8883. Its certificate is signed by its own CA: download mosquitto.org.crt from https://test.mosquitto.org and choose it as the CA file.',
    fields: {
      name: 'test.mosquitto.org (TLS)',
      host: 'test.mosquitto.org',
      port: 8883,
      transport: 'mqtts',
      protocolVersion: 5,
      tls: { ...publicTls(), ca: file() },
    },
  },
  {
    id: 'test-mosquitto-ws',
    label: 'test.mosquitto.org (WebSocket)',
    description: 'The public Mosquitto test broker over an unencrypted WebSocket on port 8080.',
    fields: { name: 'test.mosquitto.org (WebSocket)', host: 'test.mosquitto.org', port: 8080, transport: 'ws', path: '/mqtt', protocolVersion: 5 },
  },
  {
    id: 'test-mosquitto-wss',
    label: 'test.mosquitto.org (secure WebSocket)',
    description: 'The public Mosquitto test broker over a TLS WebSocket on port 8081, with a certificate from a public CA.',
    fields: { name: 'test.mosquitto.org (secure WebSocket)', host: 'test.mosquitto.org', port: 8081, transport: 'wss', path: '/mqtt', protocolVersion: 5 },
  },
  {
    id: 'emqx-mqtt',
    label: 'broker.emqx.io (plain)',
    description: 'The public EMQX test broker on port 1883, unencrypted and open to everyone.',
    fields: { name: 'broker.emqx.io', host: 'broker.emqx.io', port: 1883, transport: 'mqtt', protocolVersion: 5 },
  },
  {
    id: 'emqx-mqtts',
    label: 'broker.emqx.io (TLS)',
    description:
      'The public EMQX test broker over TLS on port 8883. If the connection reports an unknown certificate authority, download the CA file from EMQX\'s public broker page and choose it as the CA file.',
    fields: { name: 'broker.emqx.io (TLS)', host: 'broker.emqx.io', port: 8883, transport: 'mqtts', protocolVersion: 5 },
  },
  {
    id: 'emqx-ws',
    label: 'broker.emqx.io (WebSocket)',
    description: 'The public EMQX test broker over an unencrypted WebSocket on port 8083, path /mqtt.',
    fields: { name: 'broker.emqx.io (WebSocket)', host: 'broker.emqx.io', port: 8083, transport: 'ws', path: '/mqtt', protocolVersion: 5 },
  },
  {
    id: 'emqx-wss',
    label: 'broker.emqx.io (secure WebSocket)',
    description: 'The public EMQX test broker over a TLS WebSocket on port 8084, path /mqtt.',
    fields: { name: 'broker.emqx.io (secure WebSocket)', host: 'broker.emqx.io', port: 8084, transport: 'wss', path: '/mqtt', protocolVersion: 5 },
  },
  {
    id: 'azure-iot-hub',
    label: 'Azure IoT Hub (device)',
    description:
      'Connects as one device of an Azure IoT hub over TLS on port 8883 with MQTT 3.1.1, the version IoT Hub speaks. Replace {hub} and {deviceId}; the password is a SAS token for the device (for example from "az iot hub generate-sas-token"). IoT Hub allows only its own device topics, not # or $SYS.',
    fields: {
      name: 'Azure IoT Hub',
      host: '{hub}.azure-devices.net',
      port: 8883,
      transport: 'mqtts',
      protocolVersion: 4,
      clientId: '{deviceId}',
      // IoT Hub identifies the device by its client id, so it must be exactly the device id.
      clientIdSuffix: false,
      username: '{hub}.azure-devices.net/{deviceId}/?api-version=2021-04-12',
      tls: publicTls(),
      subscriptions: [sub('devices/{deviceId}/messages/devicebound/#', 1), sub('$iothub/twin/res/#', 0), sub('$iothub/methods/POST/#', 0)],
    },
  },
  {
    id: 'aws-iot-core',
    label: 'AWS IoT Core (certificate, port 8883)',
    description: `Connects to AWS IoT Core with mutual TLS on port 8883 using MQTT 5. ${awsAbout}`,
    fields: {
      name: 'AWS IoT Core',
      host: awsHost,
      port: 8883,
      transport: 'mqtts',
      protocolVersion: 5,
      clientId: '{thingName}',
      clientIdSuffix: false,
      tls: mutualTls(),
      // AWS IoT has no $SYS tree; # needs a policy that allows it.
      subscriptions: [sub('#', 0)],
    },
  },
  {
    id: 'aws-iot-core-443',
    label: 'AWS IoT Core (certificate, port 443)',
    description: `Connects to AWS IoT Core with mutual TLS on port 443, for networks that allow only HTTPS ports; the ALPN name x-amzn-mqtt-ca tells AWS to speak MQTT there. ${awsAbout}`,
    fields: {
      name: 'AWS IoT Core (443)',
      host: awsHost,
      port: 443,
      transport: 'mqtts',
      protocolVersion: 5,
      clientId: '{thingName}',
      clientIdSuffix: false,
      tls: mutualTls(['x-amzn-mqtt-ca']),
      subscriptions: [sub('#', 0)],
    },
  },
];
