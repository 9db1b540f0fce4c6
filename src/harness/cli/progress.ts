// Progress display for `run` (cli-progress on a TTY, silent otherwise): one bar over the planned time.
import cliProgress from "cli-progress";
import type { RunProgress } from "../run/run-one.ts";

/** A progress reporter; all methods are no-ops when disabled. */
export interface ProgressDisplay {
  onRunStart(index: number, total: number, id: string): void;
  onProgress(progress: RunProgress): void;
  stop(): void;
}

/** Creates the display; enabled only on a TTY and when the run is expected to last more than 3 s. */
export function createProgressDisplay(options: { estimatedRunMs: number; runs: number; enabled: boolean }): ProgressDisplay {
  const total = Math.max(1, Math.round((options.estimatedRunMs * options.runs) / 1000));
  if (!options.enabled || !process.stderr.isTTY || total < 3) return { onRunStart() {}, onProgress() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: " {bar} {value}/{total}s | run {run} | {phase} | {ops} ok ops", hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  let runIndex = 0;
  bar.start(total, 0, { run: "", phase: "", ops: 0 });
  return {
    onRunStart(index, count, id) {
      runIndex = index;
      bar.update(Math.round((index * options.estimatedRunMs) / 1000), { run: `${index + 1}/${count} ${id}`, phase: "start", ops: 0 });
    },
    onProgress(progress) {
      const value = Math.min(total, Math.round((runIndex * options.estimatedRunMs + Math.min(progress.elapsedMs, options.estimatedRunMs)) / 1000));
      bar.update(value, { phase: progress.phase, ops: progress.ok });
    },
    stop() {
      bar.stop();
    },
  };
}
