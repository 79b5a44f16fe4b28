/**
 * A few dozen building, greenhouse and factory sensors: JSON readings with units and timestamps
 * at varied rates, and per device a retained `status` (online/offline) and `config`.
 */
import type { DemoDevices, DemoOutput } from './output';
import type { DemoStream } from './scheduler';
import { RandomWalk } from './walk';

interface Measurement {
  name: string;
  unit: string;
  walk: RandomWalk;
  weight: number;
}

interface SensorDevice {
  path: string;
  model: string;
  firmware: string;
  measurements: Measurement[];
}

type Spec = [name: string, unit: string, centre: number, step: number, min: number, max: number, decimals: number, weight: number];

const CLIMATE: Spec[] = [
  ['temperature', '°C', 21.5, 0.08, 16, 28, 2, 1],
  ['humidity', '%', 44, 0.3, 20, 80, 1, 0.7],
  ['co2', 'ppm', 620, 12, 400, 1800, 0, 0.5],
];
const METER: Spec[] = [
  ['power', 'W', 4200, 180, 300, 12000, 0, 4],
  ['voltage', 'V', 230, 0.6, 218, 242, 1, 1.5],
  ['current', 'A', 18, 0.8, 1, 52, 2, 2],
];

const DEVICES: { path: string; model: string; specs: Spec[] }[] = [
  { path: 'building-a/floor-1/room-101', model: 'ClimaSense CS-3', specs: CLIMATE },
  { path: 'building-a/floor-1/room-102', model: 'ClimaSense CS-3', specs: CLIMATE },
  { path: 'building-a/floor-2/room-201', model: 'ClimaSense CS-3', specs: CLIMATE },
  { path: 'building-a/floor-2/open-space', model: 'ClimaSense CS-3', specs: CLIMATE },
  { path: 'building-a/basement/main-meter', model: 'PowerTrack PT-400', specs: METER },
  { path: 'building-a/basement/hvac-meter', model: 'PowerTrack PT-400', specs: METER },
  {
    path: 'greenhouse/zone-1/soil-probe',
    model: 'TerraProbe T2',
    specs: [
      ['moisture', '%', 38, 0.2, 15, 60, 1, 0.3],
      ['temperature', '°C', 19, 0.05, 8, 30, 2, 0.4],
      ['conductivity', 'mS/cm', 1.8, 0.02, 0.5, 3.5, 2, 0.2],
    ],
  },
  {
    path: 'greenhouse/zone-2/weather',
    model: 'AgriWeather AW-5',
    specs: [
      ['temperature', '°C', 24, 0.1, 10, 38, 2, 0.6],
      ['illuminance', 'lx', 18000, 600, 0, 60000, 0, 0.8],
      ['wind', 'm/s', 1.2, 0.15, 0, 9, 1, 1],
    ],
  },
  {
    path: 'factory/line-1/press',
    model: 'Vibra VX-10',
    specs: [
      ['vibration', 'mm/s', 2.4, 0.25, 0.2, 12, 2, 3],
      ['temperature', '°C', 61, 0.2, 35, 95, 1, 1],
      ['power', 'kW', 22, 0.9, 0, 45, 2, 2.5],
    ],
  },
  {
    path: 'factory/line-2/compressor',
    model: 'AirFlow C-7',
    specs: [
      ['pressure', 'bar', 7.6, 0.05, 5.5, 9.5, 2, 2],
      ['temperature', '°C', 78, 0.3, 40, 110, 1, 1],
      ['power', 'kW', 15, 0.6, 0, 30, 2, 2],
    ],
  },
  {
    path: 'cold-store/freezer-1',
    model: 'FrostGuard FG-2',
    specs: [
      ['temperature', '°C', -19.5, 0.05, -24, -15, 2, 0.8],
      ['humidity', '%', 62, 0.3, 40, 85, 1, 0.4],
      ['compressor-current', 'A', 6.2, 0.15, 0, 12, 2, 1],
    ],
  },
  {
    path: 'solar/roof/inverter-1',
    model: 'SunPort SP-8K',
    specs: [
      ['power', 'W', 5200, 150, 0, 8000, 0, 2],
      ['energy-today', 'kWh', 12, 0.01, 0, 60, 3, 0.5],
      ['dc-voltage', 'V', 410, 1.5, 250, 560, 1, 1],
    ],
  },
];

export const SENSOR_ROOT = 'demo';

export function createSensors(out: DemoOutput, random: () => number): DemoDevices {
  const devices: SensorDevice[] = DEVICES.map((device, index) => ({
    path: `${SENSOR_ROOT}/${device.path}`,
    model: device.model,
    firmware: `2.${4 + (index % 3)}.${(index * 7) % 10}`,
    measurements: device.specs.map(([name, unit, centre, step, min, max, decimals, weight]) => ({
      name,
      unit,
      weight,
      walk: new RandomWalk(centre, step, min, max, decimals, random),
    })),
  }));

  const streams: DemoStream[] = devices.flatMap((device) =>
    device.measurements.map((measurement) => ({
      weight: measurement.weight,
      emit: () =>
        void out.json(`${device.path}/${measurement.name}`, {
          value: measurement.walk.next(),
          unit: measurement.unit,
          timestamp: new Date().toISOString(),
        }),
    })),
  );

  return {
    devices: devices.length,
    streams,
    async start() {
      await Promise.all(
        devices.flatMap((device) => [
          out.text(`${device.path}/status`, 'online', { qos: 1, retain: true }),
          out.json(
            `${device.path}/config`,
            {
              model: device.model,
              firmware: device.firmware,
              reportingInterval: { value: 5, unit: 's' },
              measurements: device.measurements.map((m) => ({ name: m.name, unit: m.unit })),
            },
            { qos: 1, retain: true },
          ),
        ]),
      );
    },
    async stop() {
      await Promise.all(devices.map((device) => out.text(`${device.path}/status`, 'offline', { qos: 1, retain: true })));
    },
  };
}
