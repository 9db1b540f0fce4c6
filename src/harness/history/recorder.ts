// Streams op history to history.jsonl (one line per op, tagged with the run id) and optionally keeps it
// in memory for in-process checkers (RunPlugin.needsHistory). Writes are buffered; flush() before reading the file.
import { createWriteStream, type WriteStream } from "node:fs";
import type { Op } from "./op.ts";
import { WRITE_COMMANDS } from "./op.ts";

/** Which ops are recorded. */
export type HistoryMode = "writes" | "all" | "none";

/** Records ops of one run. */
export class HistoryRecorder {
  readonly runId: string;
  readonly mode: HistoryMode;
  readonly #stream: WriteStream | undefined;
  readonly #retained: Op[] | undefined;
  #pending: string[] = [];
  readonly #runJson: string;
  #count = 0;

  constructor(options: { runId: string; mode: HistoryMode; stream?: WriteStream | undefined; retain?: boolean }) {
    this.runId = options.runId;
    this.mode = options.mode;
    this.#stream = options.stream;
    this.#retained = options.retain === true ? [] : undefined;
    this.#runJson = JSON.stringify(options.runId);
  }

  /** True when ops of this command should be recorded. */
  wants(f: string): boolean {
    return this.mode === "all" || (this.mode === "writes" && WRITE_COMMANDS.has(f));
  }

  /** Records a completed (or abandoned) op. */
  record(op: Op): void {
    this.#count++;
    this.#retained?.push(op);
    if (this.#stream === undefined) return;
    this.#pending.push(formatHistoryLine(this.#runJson, op));
    if (this.#pending.length >= 512) this.#drain();
  }

  // Hands buffered lines to the stream in one write.
  #drain(): void {
    if (this.#pending.length === 0 || this.#stream === undefined) return;
    this.#stream.write(this.#pending.join("\n") + "\n");
    this.#pending = [];
  }

  /** Number of ops recorded. */
  get count(): number {
    return this.#count;
  }

  /** The ops kept in memory (empty unless retain was requested). */
  ops(): readonly Op[] {
    return this.#retained ?? [];
  }

  /** Writes buffered lines out (the stream itself is owned and closed by the caller). */
  flush(): void {
    this.#drain();
  }
}

// Strings the harness generates (keys, w<id>|xxx values, command names) need no escaping; others go through JSON.
const PLAIN = /^[\w:|.#-]*$/;
const quote = (text: string): string => (text.length < 512 && PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));

/** One history.jsonl line: same fields and order as JSON.stringify({run, ...op}), built without the intermediate object. */
export function formatHistoryLine(runJson: string, op: Op): string {
  let line = `{"run":${runJson},"id":${op.id},"client":${op.client},"f":${quote(op.f)},"key":${quote(op.key)}`;
  if (op.value !== undefined) line += `,"value":${quote(op.value)}`;
  line += `,"type":"${op.type}","invokeUs":${op.invokeUs}`;
  if (op.completeUs !== undefined) line += `,"completeUs":${op.completeUs}`;
  if (op.intendedUs !== undefined) line += `,"intendedUs":${op.intendedUs}`;
  if (op.error !== undefined) line += `,"error":${JSON.stringify(op.error)}`;
  return line + "}";
}

/** Opens history.jsonl for appending. */
export function openHistoryStream(file: string): WriteStream {
  return createWriteStream(file, { flags: "a" });
}

/** Closes a history stream, resolving when everything is on disk. */
export function closeHistoryStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}
