// Ctrl-C handling for long commands: the first SIGINT/SIGTERM aborts (engines are stopped, partial results
// written); a second one kills every engine we started at once and exits 130.
import { killAllTracked } from "../engines/process-tracker.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

/** Installs the handlers; returns the abort signal and a function that removes them. */
export function installInterruptHandlers(onFirst: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      onFirst(sig);
      controller.abort(new Error(`interrupted by ${sig}`));
      return;
    }
    killAllTracked();
    process.exit(EXIT_CODES.INTERRUPTED);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
