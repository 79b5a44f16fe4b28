/**
 * Reconnect delays: exponential from the profile's initial delay up to its maximum, with jitter so
 * many clients cut off together (a broker restart) do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(maxMs, initialMs * 2 ** exponent);
  // "Equal jitter": half of the delay is fixed, so no retry comes immediately; half is random.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
