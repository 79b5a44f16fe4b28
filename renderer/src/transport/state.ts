/** Whether the renderer can reach the engine right now; the UI shows the web host went away. */
export type TransportState = 'connected' | 'connecting' | 'disconnected';

/** A plain listener set (no Vue reactivity: the transport sits below the stores). */
export class StateEmitter {
  private readonly listeners = new Set<(state: TransportState) => void>();

  constructor(private current: TransportState) {}

  get state(): TransportState {
    return this.current;
  }

  set(state: TransportState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        console.error('A transport state listener failed:', error);
      }
    }
  }

  /** Calls `listener` now with the current state, then on every change; returns a function that stops it. */
  on(listener: (state: TransportState) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
