// Outage tracking: the server is "down" from the first connection lost until every connection is back.

/** One period during which the server was unreachable (ms since run start; endMs undefined if never back). */
export interface Outage {
  startMs: number;
  endMs: number | undefined;
}

/** Tracks connection states and derives outages. */
export class AvailabilityTracker {
  readonly #down = new Set<number>();
  readonly #outages: Outage[] = [];
  readonly #nowMs: () => number;

  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  /** Feeds a connection state change. */
  onState(state: "up" | "down", index: number): void {
    if (state === "down") {
      if (this.#down.size === 0) this.#outages.push({ startMs: this.#nowMs(), endMs: undefined });
      this.#down.add(index);
    } else if (this.#down.delete(index) && this.#down.size === 0) {
      const last = this.#outages[this.#outages.length - 1];
      if (last !== undefined && last.endMs === undefined) last.endMs = this.#nowMs();
    }
  }

  /** The outages so far (copies). */
  outages(): Outage[] {
    return this.#outages.map((o) => ({ ...o }));
  }
}
