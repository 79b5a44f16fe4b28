/** Plausible sensor values: a bounded random walk that drifts back toward its usual value. */
export class RandomWalk {
  private current: number;

  constructor(
    private readonly centre: number,
    /** Largest change per step. */
    private readonly step: number,
    private readonly min: number,
    private readonly max: number,
    private readonly decimals = 1,
    private readonly random: () => number = Math.random,
  ) {
    this.current = centre + (random() - 0.5) * step * 4;
  }

  get value(): number {
    return round(this.current, this.decimals);
  }

  next(): number {
    const pull = (this.centre - this.current) * 0.05;
    this.current = Math.min(this.max, Math.max(this.min, this.current + pull + (this.random() * 2 - 1) * this.step));
    return this.value;
  }
}

export const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};
