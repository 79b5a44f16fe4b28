/**
 * An irrigation pump that drops off the network now and then. On the built-in broker it has its
 * own connection whose Last Will is a retained `offline` on its status topic; the demo cuts its
 * socket (no DISCONNECT), so the broker itself publishes the Will. Through a profile there is
 * one shared connection and no will of ours, so the pump says `offline` itself there.
 */
import type { DeviceLink, DemoLink, WillSpec } from './link';
import type { DemoDevices, DemoOutput } from './output';
import { SENSOR_ROOT } from './sensors';
import { RandomWalk } from './walk';

export const WILL_DEVICE_ROOT = `${SENSOR_ROOT}/greenhouse/irrigation-pump`;
export const WILL_STATUS_TOPIC = `${WILL_DEVICE_ROOT}/status`;
export const WILL_CLIENT_ID = 'topograph-demo-irrigation-pump';

export interface WillTiming {
  /** How long the pump stays online before it is cut; about, randomised by ±25 %. */
  onlineMs: number;
  offlineMs: number;
}

export const DEFAULT_WILL_TIMING: WillTiming = { onlineMs: 45_000, offlineMs: 12_000 };

export interface WillDevice extends DemoDevices {
  /** Cuts the pump's connection now; false when it is already offline. */
  kill(): Promise<boolean>;
}

export function createWillDevice(
  out: DemoOutput,
  random: () => number,
  connect: ((clientId: string, will: WillSpec) => Promise<DeviceLink>) | undefined,
  timing: WillTiming = DEFAULT_WILL_TIMING,
): WillDevice {
  const flow = new RandomWalk(14, 0.4, 0, 30, 2, random);
  const encoder = new TextEncoder();
  let own: DeviceLink | undefined;
  let online = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const linkNow = (): DemoLink => own ?? out.link;
  const around = (ms: number): number => ms * (0.75 + random() * 0.5);

  const schedule = (next: () => Promise<unknown>, ms: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (running) void next();
    }, around(ms));
  };

  async function goOnline(): Promise<void> {
    if (connect) {
      try {
        own = await connect(WILL_CLIENT_ID, { topic: WILL_STATUS_TOPIC, payload: encoder.encode('offline'), qos: 1, retain: true });
      } catch {
        // The broker is going away; try again later, as the device would.
        schedule(goOnline, timing.offlineMs);
        return;
      }
    }
    online = true;
    await out.text(WILL_STATUS_TOPIC, 'online', { qos: 1, retain: true, via: linkNow() });
    schedule(kill, timing.onlineMs);
  }

  async function kill(): Promise<boolean> {
    if (!online) return false;
    online = false;
    if (own) {
      own.kill();
      own = undefined;
    } else {
      await out.text(WILL_STATUS_TOPIC, 'offline', { qos: 1, retain: true });
    }
    schedule(goOnline, timing.offlineMs);
    return true;
  }

  return {
    devices: 1,
    streams: [
      {
        weight: 0.6,
        emit: () => {
          if (online) void out.json(`${WILL_DEVICE_ROOT}/flow`, { value: flow.next(), unit: 'L/min', timestamp: new Date().toISOString() }, { via: linkNow() });
        },
      },
    ],
    async start() {
      running = true;
      await goOnline();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (online) await out.text(WILL_STATUS_TOPIC, 'offline', { qos: 1, retain: true, via: linkNow() });
      online = false;
      await own?.close();
      own = undefined;
    },
    kill,
  };
}
