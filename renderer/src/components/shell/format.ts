/** Wording and number formats of the shell: connection states, rates, sizes. */
import type { ConnectionState, SessionStatus } from '@common/session';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1,234 → "1.2 KB"; decimal units, like file managers show disk use. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const counter = new Intl.NumberFormat('en-US');
export const formatCount = (value: number): string => counter.format(Math.round(value));

/** Messages per second: one decimal below 10 so a quiet broker does not read as 0. */
export function formatRate(perSecond: number): string {
  if (perSecond <= 0) return '0';
  if (perSecond < 10) return perSecond.toFixed(1);
  return formatCount(perSecond);
}

export const STATE_LABEL: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
  error: 'Connection failed',
};

/** The state as a person reads it, with the reconnect attempt and a live countdown. */
export function stateText(status: SessionStatus | undefined, now: number): string {
  if (!status) return STATE_LABEL.disconnected;
  if (status.state !== 'reconnecting') return STATE_LABEL[status.state];
  const parts: string[] = [];
  if (status.attempt !== undefined) parts.push(`attempt ${status.attempt}`);
  if (status.nextRetryAt !== undefined) {
    const seconds = Math.ceil((status.nextRetryAt - now) / 1000);
    parts.push(seconds > 0 ? `next try in ${seconds} s` : 'trying now');
  }
  return parts.length ? `Reconnecting (${parts.join(', ')})` : 'Reconnecting…';
}

/** "since 14:03" style for tooltips. */
export function timeOfDay(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
