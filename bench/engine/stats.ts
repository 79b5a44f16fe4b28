/** Small statistics helpers for the benchmark's timings, and what the figures were taken on. */
import os from 'node:os';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (values: number[]): number => percentile(values, 50);

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs `fn` `times` times and returns each duration in ms. */
export function timeEach(times: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

/** The 1-minute load average: on a shared machine, other work shows up in every rate. */
export const loadAverage = (): number => round(os.loadavg()[0] ?? 0, 2);

export function machineInfo(): { nproc: number; cpu: string; node: string; platform: string } {
  return { nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${os.release()}` };
}

/** Share of all cores' time spent busy over `ms` (the load average lags by a minute; this does not). */
export async function busyShare(ms = 1000): Promise<number> {
  const total = (): { busy: number; all: number } =>
    os.cpus().reduce(
      (sum, cpu) => {
        const { user, nice, sys, idle, irq } = cpu.times;
        return { busy: sum.busy + user + nice + sys + irq, all: sum.all + user + nice + sys + idle + irq };
      },
      { busy: 0, all: 0 },
    );
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = total();
  return round((after.busy - before.busy) / Math.max(1, after.all - before.all), 2);
}

/** Says so when other work keeps the machine busy before a benchmark starts; returns the busy share. */
export async function warnIfBusy(suite: string): Promise<number> {
  const busy = await busyShare();
  if (busy > 0.25) {
    console.warn(`warning: the CPUs were ${Math.round(busy * 100)} % busy before the ${suite} benchmark: other work competes for them, rates will read low. Run it on an idle machine for figures to compare.`);
  }
  return busy;
}
