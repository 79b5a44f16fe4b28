/**
 * Home Assistant MQTT discovery: retained `homeassistant/<component>/<object id>/config` documents
 * that describe some of the demo's sensors, the way a device announces itself to Home Assistant.
 */
import type { DemoDevices, DemoOutput } from './output';
import { SENSOR_ROOT } from './sensors';
import { ZIGBEE_ROOT } from './zigbee';

interface Discovery {
  component: 'sensor' | 'binary_sensor';
  objectId: string;
  config: Record<string, unknown>;
}

const room101 = `${SENSOR_ROOT}/building-a/floor-1/room-101`;
const meter = `${SENSOR_ROOT}/building-a/basement/main-meter`;
const freezer = `${SENSOR_ROOT}/cold-store/freezer-1`;

const climateDevice = { identifiers: ['topograph_demo_room_101'], name: 'Room 101 climate', manufacturer: 'ClimaSense', model: 'CS-3', sw_version: '2.4.0' };

function measurement(objectId: string, name: string, stateTopic: string, availability: string, unit: string, deviceClass: string, device: object): Discovery {
  return {
    component: 'sensor',
    objectId,
    config: {
      name,
      unique_id: objectId,
      state_topic: stateTopic,
      value_template: '{{ value_json.value }}',
      unit_of_measurement: unit,
      device_class: deviceClass,
      state_class: 'measurement',
      availability_topic: availability,
      payload_available: 'online',
      payload_not_available: 'offline',
      device,
    },
  };
}

const DISCOVERIES: Discovery[] = [
  measurement('topograph_demo_room_101_temperature', 'Temperature', `${room101}/temperature`, `${room101}/status`, '°C', 'temperature', climateDevice),
  measurement('topograph_demo_room_101_humidity', 'Humidity', `${room101}/humidity`, `${room101}/status`, '%', 'humidity', climateDevice),
  measurement('topograph_demo_room_101_co2', 'CO₂', `${room101}/co2`, `${room101}/status`, 'ppm', 'carbon_dioxide', climateDevice),
  measurement('topograph_demo_main_meter_power', 'Power', `${meter}/power`, `${meter}/status`, 'W', 'power', {
    identifiers: ['topograph_demo_main_meter'],
    name: 'Main meter',
    manufacturer: 'PowerTrack',
    model: 'PT-400',
  }),
  measurement('topograph_demo_freezer_temperature', 'Temperature', `${freezer}/temperature`, `${freezer}/status`, '°C', 'temperature', {
    identifiers: ['topograph_demo_freezer_1'],
    name: 'Freezer 1',
    manufacturer: 'FrostGuard',
    model: 'FG-2',
  }),
  {
    component: 'binary_sensor',
    objectId: 'topograph_demo_hallway_door',
    config: {
      name: 'Hallway door',
      unique_id: 'topograph_demo_hallway_door',
      state_topic: `${ZIGBEE_ROOT}/hallway_door`,
      value_template: "{{ 'OFF' if value_json.contact else 'ON' }}",
      device_class: 'door',
      availability_topic: `${ZIGBEE_ROOT}/hallway_door/availability`,
      availability_template: '{{ value_json.state }}',
      device: { identifiers: ['zigbee2mqtt_0x00158d0003e4f5a6'], name: 'hallway_door', manufacturer: 'Aqara', model: 'MCCGQ11LM', via_device: 'zigbee2mqtt_bridge' },
    },
  },
];

export const discoveryTopic = (discovery: Pick<Discovery, 'component' | 'objectId'>): string => `homeassistant/${discovery.component}/${discovery.objectId}/config`;

export function createHomeAssistant(out: DemoOutput): DemoDevices {
  return {
    // The sensors it describes are counted where they publish.
    devices: 0,
    streams: [],
    async start() {
      await Promise.all(DISCOVERIES.map((discovery) => out.json(discoveryTopic(discovery), discovery.config, { qos: 1, retain: true })));
    },
    async stop() {},
  };
}
