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

/** Says so when other work keeps the machine busy before a benchmark starts. */
export function warnIfBusy(suite: string): void {
  const load = loadAverage();
  const cores = os.availableParallelism();
  if (load > cores / 2) {
    console.warn(`warning: load average ${load} on ${cores} cores before the ${suite} benchmark: other work competes for the CPU, rates will read low. Run it on an idle machine for figures to compare.`);
  }
}
