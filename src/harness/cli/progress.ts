// Progress of `run`: a cli-progress bar over the expected time on a terminal; off a terminal (CI logs), one
// line on stderr at a fixed interval (10 s; PERSISTLAB_PROGRESS_INTERVAL="2s" or a number of ms changes it):
// run i of n, phase, elapsed and expected time, ops/s since the previous line, faults done and planned.
import cliProgress from "cli-progress";
import type { RunProgress } from "../run/run-one.ts";
import type { DurationEstimate } from "../run/estimate-duration.ts";
import { isDuration, parseDurationMs } from "../shared/duration.ts";

/** A progress reporter; all methods are no-ops when disabled. */
export interface ProgressDisplay {
  onRunStart(index: number, total: number, id: string): void;
  onProgress(progress: RunProgress): void;
  stop(): void;
}

/** Interval of the off-terminal progress line unless PERSISTLAB_PROGRESS_INTERVAL says otherwise. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;

/** Options of createProgressDisplay. */
export interface ProgressOptions {
  estimate: DurationEstimate;
  enabled: boolean;
  /** Where lines and the bar go (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Off-terminal line interval (default: PERSISTLAB_PROGRESS_INTERVAL, else 10 s). */
  intervalMs?: number;
}

const NO_PROGRESS: ProgressDisplay = { onRunStart() {}, onProgress() {}, stop() {} };

/** The line interval from PERSISTLAB_PROGRESS_INTERVAL ("2s", "500ms" or a number of ms), else the default. */
export function readProgressInterval(env: NodeJS.ProcessEnv = process.env): number {
  const text = env["PERSISTLAB_PROGRESS_INTERVAL"]?.trim();
  if (text === undefined || text === "") return DEFAULT_PROGRESS_INTERVAL_MS;
  const ms = isDuration(text) ? parseDurationMs(text) : Number(text);
  return Number.isFinite(ms) && ms >= 100 ? ms : DEFAULT_PROGRESS_INTERVAL_MS;
}

/** "1m05s", "12s", "1h02m". */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600),
    m = Math.floor((seconds % 3600) / 60),
    s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Creates the display: a bar on a terminal, timed lines elsewhere, nothing with --no-progress. */
export function createProgressDisplay(options: ProgressOptions): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled) return NO_PROGRESS;
  return stream.isTTY ? createBar(options, stream) : createLines(options, stream);
}

// The terminal bar: one over the expected time of the whole scenario.
function createBar(options: ProgressOptions, stream: NodeJS.WriteStream): ProgressDisplay {
  const total = Math.max(1, Math.round(options.estimate.totalMs / 1000));
  if (total < 3) return NO_PROGRESS;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: " {bar} {value}/{total}s | run {run} | {phase} | {ops} ok ops | {faults}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let runStartMs = 0;
  let runExpectedMs = 0;
  bar.start(total, 0, { run: "", phase: "", ops: 0, faults: "" });
  return {
    onRunStart(index, count, id) {
      runStartMs = options.estimate.runs.slice(0, index).reduce((sum, run) => sum + run.ms, 0);
      runExpectedMs = options.estimate.runs[index]?.ms ?? 0;
      bar.update(Math.min(total, Math.round(runStartMs / 1000)), {
        run: `${index + 1}/${count} ${id}`,
        phase: "start",
        ops: 0,
        faults: "",
      });
    },
    onProgress(progress) {
      const value = Math.min(total, Math.round((runStartMs + Math.min(progress.elapsedMs, runExpectedMs)) / 1000));
      bar.update(value, {
        phase: progress.phase,
        ops: progress.ok,
        faults: progress.faults === undefined ? "" : `faults ${progress.faults.done}/${progress.faults.planned}`,
      });
    },
    stop() {
      bar.stop();
    },
  };
}

// Off a terminal: a line every interval (and one when a run starts), unref'd so it never keeps the process up.
function createLines(options: ProgressOptions, stream: NodeJS.WriteStream): ProgressDisplay {
  const intervalMs = options.intervalMs ?? readProgressInterval();
  const startedMs = performance.now();
  const expectedTotal = formatClock(options.estimate.totalMs);
  let run: { index: number; count: number; id: string } | undefined;
  let latest: RunProgress | undefined;
  let previous: { ok: number; elapsedMs: number } | undefined;
  const print = (): void => {
    if (run === undefined) return;
    const expectedRun = options.estimate.runs[run.index]?.ms;
    const parts = [`strategy ${run.index + 1}/${run.count} ${run.id}`, `phase ${latest?.phase ?? "start"}`];
    parts.push(
      `run ${formatClock(latest?.elapsedMs ?? 0)} of ~${expectedRun === undefined ? "?" : formatClock(expectedRun)}`,
    );
    parts.push(`total ${formatClock(performance.now() - startedMs)} of ~${expectedTotal}`);
    const ok = latest?.ok ?? 0,
      elapsed = latest?.elapsedMs ?? 0;
    const span = previous === undefined ? elapsed : elapsed - previous.elapsedMs;
    const done = previous === undefined ? ok : ok - previous.ok;
    parts.push(`${span > 0 ? Math.round((done * 1000) / span).toLocaleString("en-US") : 0} ops/s`);
    parts.push(
      latest?.faults === undefined ? "faults none planned" : `faults ${latest.faults.done}/${latest.faults.planned}`,
    );
    if (latest !== undefined) previous = { ok, elapsedMs: elapsed };
    stream.write(`persistlab: ${parts.join(" | ")}\n`);
  };
  const timer = setInterval(print, intervalMs);
  timer.unref();
  return {
    onRunStart(index, count, id) {
      run = { index, count, id };
      latest = undefined;
      previous = undefined;
      const expected = options.estimate.runs[index]?.ms;
      stream.write(
        `persistlab: strategy ${index + 1}/${count} ${id} starting (expected ~${expected === undefined ? "?" : formatClock(expected)}; ${formatClock(performance.now() - startedMs)} of ~${expectedTotal} so far)\n`,
      );
    },
    onProgress(progress) {
      if (run !== undefined && progress.run.id === run.id) latest = progress;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
