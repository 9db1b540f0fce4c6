// How a background job (BGSAVE, AOF rewrite) yields between its slices. With setImmediate the
// next slice runs in the same loop phase as the reply flush and ahead of it, so under traffic each
// reply waits for a slice; a 0 ms timer runs in the timers phase instead, before the poll phase
// reads commands and the check phase flushes their replies. So: timers while clients are active
// (commands wait at most the slice in progress), setImmediate when idle (no 1 ms timer clamp).

/** Returns a yield function that picks the timer when `commandsProcessed` moved since the last slice. */
export function createTrafficAwareYield(commandsProcessed: () => number): () => Promise<void> {
  let lastCount = commandsProcessed();
  return () => {
    const count = commandsProcessed();
    const busy = count !== lastCount;
    lastCount = count;
    return new Promise<void>((resolve) => {
      if (busy) setTimeout(resolve, 0);
      else setImmediate(resolve);
    });
  };
}
