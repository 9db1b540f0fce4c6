// Streams op history to the history file (one line per op, tagged with the run id) and optionally keeps it
// in memory for in-process checkers (RunPlugin.needsHistory). Lines are formatted as bytes (line-writer.ts)
// and handed to the stream in chunks; flush() before reading the file. Generated values stay FilledValues,
// and workload keys NumberedKeys, until someone reads them: the file gets their bytes, retained ops get the
// strings when ops() is called. Writes refused before they were sent go to the file as runs, one line per
// client and unbroken run (refused-runs.ts), not one line each.
import { materializeFill, numberedKeyText } from "../shared/generated-values.ts";
import type { HistoryStream } from "./history-file.ts";
import { HistoryLineWriter, type RecordedOp } from "./line-writer.ts";
import type { Op } from "./op.ts";
import { WRITE_COMMANDS } from "./op.ts";
import { RefusedRunCollector, type RefusedRun } from "./refused-runs.ts";

export type { RecordedOp } from "./line-writer.ts";
export { closeHistoryStream, openHistoryStream, type HistoryStream } from "./history-file.ts";

/** Which ops are recorded. */
export type HistoryMode = "writes" | "all" | "none";

/** Bytes of lines buffered before they go to the stream in one write. */
const DRAIN_BYTES = 128 * 1024;

/** Records ops of one run. */
export class HistoryRecorder {
  readonly runId: string;
  readonly mode: HistoryMode;
  readonly #stream: HistoryStream | undefined;
  readonly #retained: RecordedOp[] | undefined;
  /** Retained ops before this index have their generated values materialised. */
  #materialized = 0;
  readonly #lines: HistoryLineWriter;
  readonly #runJson: string;
  readonly #refused = new RefusedRunCollector();
  #count = 0;

  constructor(options: { runId: string; mode: HistoryMode; stream?: HistoryStream | undefined; retain?: boolean }) {
    this.runId = options.runId;
    this.mode = options.mode;
    this.#stream = options.stream;
    this.#retained = options.retain === true ? [] : undefined;
    this.#runJson = JSON.stringify(options.runId);
    this.#lines = new HistoryLineWriter(this.#runJson);
  }

  /** True when record() keeps the ops it is given (then each must be a fresh object). */
  get retains(): boolean {
    return this.#retained !== undefined;
  }

  /** True when ops of this command should be recorded. */
  wants(f: string): boolean {
    return this.mode === "all" || (this.mode === "writes" && WRITE_COMMANDS.has(f));
  }

  /**
   * Records a completed (or abandoned) op. The recorder keeps `op` when it retains: do not reuse it then.
   * `notSent`: the op failed before it was sent (no connection); the file gets it as part of a refused run.
   */
  record(op: RecordedOp, notSent = false): void {
    this.#count++;
    this.#retained?.push(op);
    if (this.#stream === undefined) return;
    if (notSent && op.type === "fail" && op.error !== undefined) {
      const ended = this.#refused.add(op.client, op.id, op.f, op.invokeUs, op.completeUs ?? op.invokeUs, op.error);
      if (ended !== undefined) this.#writeRefusedRun(ended);
      return;
    }
    if (this.#refused.hasOpen) {
      const ended = this.#refused.end(op.client);
      if (ended !== undefined) this.#writeRefusedRun(ended);
    }
    this.#lines.write(op);
    if (this.#lines.pendingBytes >= DRAIN_BYTES) this.#drain();
  }

  // One refused run as its history line.
  #writeRefusedRun(run: RefusedRun): void {
    this.#lines.writeText(`{"run":${this.#runJson},"refused":${JSON.stringify(run)}}`);
  }

  // Hands buffered lines to the stream in one write.
  #drain(): void {
    if (this.#stream === undefined) return;
    const chunk = this.#lines.take();
    // The callback runs once the chunk is written out: its memory can be reused then.
    if (chunk !== null) this.#stream.write(chunk, (error) => error == null && this.#lines.recycle(chunk));
  }

  /** Number of ops recorded. */
  get count(): number {
    return this.#count;
  }

  /** The ops kept in memory (empty unless retain was requested), generated values and keys as strings. */
  ops(): readonly Op[] {
    const retained = this.#retained;
    if (retained === undefined) return [];
    for (let index = this.#materialized; index < retained.length; index += 1) {
      const op = retained[index] as RecordedOp;
      if (op.value === undefined && op.fill !== undefined) op.value = materializeFill(op.fill);
      if (typeof op.key !== "string") op.key = numberedKeyText(op.key);
    }
    this.#materialized = retained.length;
    return retained as Op[];
  }

  /** Writes buffered lines out, open refused runs ended (the stream itself is owned and closed by the caller). */
  flush(): void {
    for (const run of this.#refused.endAll()) this.#writeRefusedRun(run);
    this.#drain();
  }
}
