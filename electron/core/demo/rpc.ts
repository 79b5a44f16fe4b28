/**
 * One request/response responder (a thermostat) and a dashboard that asks it now and then.
 * Over MQTT 5 the reply goes to the request's Response Topic with its Correlation Data; the
 * built-in broker speaks 3.1.1, which has neither, so there the request's JSON carries
 * `replyTo` and `correlationId` and the reply echoes `correlationId` in its body.
 */
import { randomBytes } from 'node:crypto';
import type { PublishProperties } from '../../common/model';
import { SENSOR_ROOT } from './sensors';
import type { DemoMessage } from './link';
import type { DemoDevices, DemoOutput } from './output';

export const RPC_ROOT = `${SENSOR_ROOT}/rpc`;
export const RPC_REQUEST_FILTER = `${RPC_ROOT}/+/request`;
export const RPC_DEVICE = 'thermostat-1';
const DASHBOARD_REPLY_TOPIC = `${RPC_ROOT}/dashboard/reply`;

interface Request {
  method?: unknown;
  params?: unknown;
  replyTo?: unknown;
  correlationId?: unknown;
}

const decoder = new TextDecoder();

function parse(payload: Uint8Array): Request | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(payload));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Request) : undefined;
  } catch {
    return undefined;
  }
}

export function createRpc(out: DemoOutput, random: () => number): DemoDevices {
  let setpoint = 21.5;
  let forget: (() => Promise<void>) | undefined;

  function answer(request: Request | undefined): Record<string, unknown> {
    if (request === undefined) return { error: { code: 'bad-request', message: 'The request is not a JSON object; send {"method": "getSetpoint"}.' } };
    switch (request.method) {
      case 'ping':
        return { result: 'pong' };
      case 'getSetpoint':
        return { result: { setpoint, unit: '°C' } };
      case 'setSetpoint': {
        const value = (request.params as { value?: unknown } | undefined)?.value;
        if (typeof value !== 'number' || value < 5 || value > 30) return { error: { code: 'out-of-range', message: 'params.value must be a number from 5 to 30 (°C).' } };
        setpoint = value;
        return { result: { setpoint, unit: '°C' } };
      }
      default:
        return { error: { code: 'unknown-method', message: 'Known methods: ping, getSetpoint, setSetpoint.' } };
    }
  }

  async function respond(message: DemoMessage): Promise<void> {
    const device = message.topic.split('/').at(-2) ?? RPC_DEVICE;
    const request = parse(message.payload);
    const body = { ...answer(request), ...(request?.correlationId !== undefined ? { correlationId: request.correlationId } : {}), device };
    if (message.responseTopic && out.v5) {
      // MQTT 5 [MQTT-4.10]: reply on the Response Topic, echoing the Correlation Data unchanged.
      const properties: PublishProperties = { contentType: 'application/json' };
      if (message.correlationData) properties.correlationData = new Uint8Array(message.correlationData);
      await out.bytes(message.responseTopic, new TextEncoder().encode(JSON.stringify(body)), { qos: 1, properties });
      return;
    }
    const replyTo = typeof request?.replyTo === 'string' && request.replyTo !== '' && !/[#+]/.test(request.replyTo) ? request.replyTo : `${RPC_ROOT}/${device}/response`;
    await out.json(replyTo, body, { qos: 1 });
  }

  function ask(): void {
    const correlationId = randomBytes(4).toString('hex');
    const method = random() < 0.7 ? 'getSetpoint' : 'ping';
    const topic = `${RPC_ROOT}/${RPC_DEVICE}/request`;
    if (out.v5) {
      void out.bytes(topic, new TextEncoder().encode(JSON.stringify({ method })), {
        qos: 1,
        properties: { responseTopic: DASHBOARD_REPLY_TOPIC, correlationData: new TextEncoder().encode(correlationId), contentType: 'application/json' },
      });
    } else {
      void out.json(topic, { method, replyTo: DASHBOARD_REPLY_TOPIC, correlationId }, { qos: 1 });
    }
  }

  return {
    devices: 1,
    streams: [{ weight: 0.15, emit: ask }],
    async start() {
      forget = await out.link.listen(RPC_REQUEST_FILTER, (message) => void respond(message));
    },
    async stop() {
      await forget?.();
      forget = undefined;
    },
  };
}
