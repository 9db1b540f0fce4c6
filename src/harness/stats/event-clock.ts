// A shared "time of the current I/O event": while a connection processes a chunk of replies, every op it
// completes (and every op issued from those completions) is stamped with the chunk's arrival time instead of
// reading the clock again per op. Outside such a handler, reads fall back to performance.now().

let eventTimeMs = -1;

/** Sets (ms, performance.now() basis) or clears (-1) the current event time. */
export function setEventTimeMs(ms: number): void {
  eventTimeMs = ms;
}

/** The current event time, or performance.now() when no event is being processed. */
export function readEventTimeMs(): number {
  return eventTimeMs >= 0 ? eventTimeMs : performance.now();
}
