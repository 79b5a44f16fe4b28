/** Wording and small pure helpers for the Local broker panel. */
import type { BrokerStatus } from '@common/api';

/** What a device types in: mqtt://host:port, IPv6 in brackets. */
export function brokerUrl(address: string, port: number): string {
  return `mqtt://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** One line for the sidebar entry. */
export function brokerSummary(status: BrokerStatus | null): string {
  if (!status?.running) return 'Stopped';
  const clients = status.clients.length;
  return `${status.host}:${status.port} · ${clients} client${clients === 1 ? '' : 's'}`;
}

export function demoSummary(status: BrokerStatus | null, connectionName: (id: string) => string): string {
  const demo = status?.demo;
  if (!demo?.running) return 'Not running';
  const where = demo.targetConnectionId === undefined ? 'the local broker' : `“${connectionName(demo.targetConnectionId)}”`;
  return `${demo.devices} devices publish about ${formatRate(demo.messagesPerSecond)} msg/s on ${demo.topics} topics to ${where}.`;
}

export function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : String(Math.round(rate * 10) / 10);
}

export interface BrokerForm {
  port: number;
  allInterfaces: boolean;
  username: string;
  password: string;
}

/** A sentence for the first problem in the form, or null. */
export function formProblem(form: BrokerForm): { field: 'port' | 'username'; message: string } | null {
  if (!Number.isInteger(form.port) || form.port < 0 || form.port > 65535) {
    return { field: 'port', message: 'Enter a port from 1 to 65535 (0 picks any free port).' };
  }
  if (form.password !== '' && form.username.trim() === '') {
    return { field: 'username', message: 'MQTT 3.1.1 allows a password only together with a user name.' };
  }
  return null;
}

export function sameSettings(status: BrokerStatus | null, form: BrokerForm): boolean {
  return !!status?.running && status.port === form.port && (status.host === '0.0.0.0') === form.allInterfaces;
}

export const PROTOCOL_NOTE = 'The local broker speaks MQTT 3.1.1 (aedes), not MQTT 5: profiles that connect to it use protocol version 3.1.1.';
