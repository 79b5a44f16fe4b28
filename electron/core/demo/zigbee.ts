/**
 * A zigbee2mqtt-like tree: the bridge's retained state, info and device list, and devices under
 * their friendly names (one nested, as zigbee2mqtt allows) with linkquality, battery and
 * availability.
 */
import type { DemoDevices, DemoOutput } from './output';
import type { DemoStream } from './scheduler';
import { RandomWalk } from './walk';

export const ZIGBEE_ROOT = 'zigbee2mqtt';

interface ZigbeeDevice {
  friendlyName: string;
  ieee: string;
  model: string;
  vendor: string;
  weight: number;
  state(): Record<string, unknown>;
}

export function createZigbee(out: DemoOutput, random: () => number): DemoDevices {
  const link = () => Math.round(60 + random() * 120);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const brightness = new RandomWalk(180, 12, 1, 254, 0, random);
  const climate = { t: new RandomWalk(21.2, 0.06, 15, 28, 2, random), h: new RandomWalk(47, 0.3, 25, 75, 1, random), p: new RandomWalk(1013, 0.2, 990, 1030, 1, random) };
  const plugPower = new RandomWalk(85, 6, 0, 2300, 1, random);
  let energy = 12.4 + random() * 5;
  let lampOn = true;
  let doorClosed = true;

  const devices: ZigbeeDevice[] = [
    {
      friendlyName: 'living_room_lamp',
      ieee: '0x00158d0001a2b3c4',
      model: 'LED1836G9',
      vendor: 'IKEA',
      weight: 0.6,
      state: () => {
        if (random() < 0.05) lampOn = !lampOn;
        return { state: lampOn ? 'ON' : 'OFF', brightness: brightness.next(), color_temp: 370, color_mode: 'color_temp', linkquality: link() };
      },
    },
    {
      friendlyName: 'kitchen_motion',
      ieee: '0x00158d0002c3d4e5',
      model: 'RTCGQ11LM',
      vendor: 'Aqara',
      weight: 0.8,
      state: () => ({ occupancy: random() < 0.3, illuminance_lux: Math.round(80 + random() * 200), battery: 87, voltage: 2965, linkquality: link() }),
    },
    {
      friendlyName: 'hallway_door',
      ieee: '0x00158d0003e4f5a6',
      model: 'MCCGQ11LM',
      vendor: 'Aqara',
      weight: 0.4,
      state: () => {
        if (random() < 0.2) doorClosed = !doorClosed;
        return { contact: doorClosed, battery: 100, voltage: 3025, linkquality: link() };
      },
    },
    {
      friendlyName: 'bedroom_climate',
      ieee: '0x00158d0004f5a6b7',
      model: 'WSDCGQ11LM',
      vendor: 'Aqara',
      weight: 0.7,
      state: () => ({ temperature: climate.t.next(), humidity: climate.h.next(), pressure: climate.p.next(), battery: 76, voltage: 2905, linkquality: link() }),
    },
    {
      friendlyName: 'garden/pump_plug',
      ieee: '0x0017880105a6b7c8',
      model: 'ZB-SW01',
      vendor: 'Tuya',
      weight: 1.2,
      state: () => {
        const power = plugPower.next();
        energy += power / 3_600_000;
        return { state: 'ON', power, energy: Math.round(energy * 1000) / 1000, voltage: 231, current: Math.round((power / 231) * 100) / 100, linkquality: link() };
      },
    },
    {
      friendlyName: 'office_button',
      ieee: '0x00158d0006a7b8c9',
      model: 'WXKG11LM',
      vendor: 'Aqara',
      weight: 0.15,
      state: () => ({ action: pick(['single', 'double', 'hold', 'release']), battery: 64, voltage: 2885, linkquality: link() }),
    },
  ];

  const streams: DemoStream[] = devices.map((device) => ({ weight: device.weight, emit: () => void out.json(`${ZIGBEE_ROOT}/${device.friendlyName}`, device.state()) }));

  const bridge = (state: 'online' | 'offline') => out.json(`${ZIGBEE_ROOT}/bridge/state`, { state }, { qos: 1, retain: true });
  const availability = (state: 'online' | 'offline') =>
    Promise.all(devices.map((device) => out.json(`${ZIGBEE_ROOT}/${device.friendlyName}/availability`, { state }, { qos: 1, retain: true })));

  return {
    devices: devices.length,
    streams,
    async start() {
      await bridge('online');
      await out.json(
        `${ZIGBEE_ROOT}/bridge/info`,
        { version: '1.40.2', commit: 'demo', coordinator: { type: 'zStack3x0', meta: { revision: 20230507 } }, network: { channel: 15, pan_id: 6754 }, permit_join: false },
        { qos: 1, retain: true },
      );
      await out.json(
        `${ZIGBEE_ROOT}/bridge/devices`,
        devices.map((device) => ({ friendly_name: device.friendlyName, ieee_address: device.ieee, type: 'EndDevice', supported: true, definition: { model: device.model, vendor: device.vendor } })),
        { qos: 1, retain: true },
      );
      await availability('online');
    },
    async stop() {
      await availability('offline');
      await bridge('offline');
    },
  };
}
