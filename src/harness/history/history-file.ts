// The history file of a run folder: history.jsonl.gz (zcat reads it), how it is written, and the one reader
// every consumer goes through. Compression is kept off the load generator's path: while a run records, its
// lines go as plain bytes to a spool file next to it (history.jsonl.part<n>, exactly what the plain
// history.jsonl writer did), and between runs, when nothing is measured, checkpoint() compresses the spool
// into one more gzip member of history.jsonl.gz and deletes it. gzip level 6 on a full crash-loss run on the
// bundled engine (2.67 M ops, 705 MB of JSON lines, two thirds of them writes refused while the engine
// restarted): 56.8 MB and 4.8 CPU-seconds (level 4: 63.3 MB, 2.8 s; level 9: 54.2 MB, 17 s), about 1.5-2 µs
// of CPU per op that, spent during the load, cost up to a third of bench:harness's throughput (docs/performance.md).
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip, gzipSync } from "node:zlib";
import { toError } from "../shared/errors.ts";
import type { Op } from "./op.ts";
import { isRefusedRunRecord, type RefusedRunRecord } from "./refused-runs.ts";

/** File name of the history in a run folder. */
export const HISTORY_FILE = "history.jsonl.gz";

/** gzip level of history files (see the header). */
export const HISTORY_GZIP_LEVEL = 6;

/** A history file open for writing: write() chunks of lines, checkpoint() between runs, then closeHistoryStream(). */
export interface HistoryStream {
  /** Appends bytes of whole lines; `onWritten` runs once they are on their way to disk and the chunk may be reused. */
  write(chunk: Uint8Array, onWritten?: (error: Error | null | undefined) => void): void;
  /** Folds the lines written so far into the history file (for .gz: one gzip member); settles when done. */
  checkpoint(): Promise<void>;
  /** Checkpoints and closes; rejects with the first write error, if any. */
  close(): Promise<void>;
}

/**
 * Opens a history file for appending. A `.gz` name gets gzip members appended at each checkpoint (zcat and
 * readHistory read them as one stream), any other name plain text as it is written.
 */
export function openHistoryStream(file: string): HistoryStream {
  return file.endsWith(".gz") ? new SpooledGzipHistory(file) : new PlainHistory(file);
}

/** Closes a history stream, resolving when everything is on disk. */
export async function closeHistoryStream(stream: HistoryStream): Promise<void> {
  await stream.close();
}

// A plain history.jsonl: lines appended as they come; checkpoints have nothing to do.
class PlainHistory implements HistoryStream {
  readonly #output: WriteStream;
  readonly #done: Promise<void>;

  constructor(file: string) {
    this.#output = createWriteStream(file, { flags: "a" });
    this.#done = finished(this.#output);
  }

  write(chunk: Uint8Array, onWritten?: (error: Error | null | undefined) => void): void {
    this.#output.write(chunk, onWritten);
  }

  checkpoint(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#output.end();
    await this.#done;
  }
}

/** A spool file: the plain lines of the run being recorded. */
interface Spool {
  readonly path: string;
  readonly output: WriteStream;
  readonly done: Promise<void>;
  bytes: number;
}

// history.jsonl.gz written through spool files, compressed at checkpoints (see the header).
class SpooledGzipHistory implements HistoryStream {
  readonly #file: string;
  readonly #spoolBase: string;
  #spool: Spool | undefined;
  #spools = 0;
  #members = 0;
  /** Checkpoints run one after another, so members land in the order their lines were written. */
  #queue: Promise<void> = Promise.resolve();
  #error: Error | undefined;

  constructor(file: string) {
    this.#file = file;
    this.#spoolBase = `${file.slice(0, -".gz".length)}.part`;
    // The file exists from the start, as a plain history did (empty until the first checkpoint).
    this.#queue = appendBytes(file, new Uint8Array(0)).catch((error: unknown) => this.#fail(error));
  }

  write(chunk: Uint8Array, onWritten?: (error: Error | null | undefined) => void): void {
    const spool = (this.#spool ??= this.#openSpool());
    spool.bytes += chunk.length;
    spool.output.write(chunk, onWritten);
  }

  checkpoint(): Promise<void> {
    const spool = this.#spool;
    this.#spool = undefined; // lines written from now on go to a new spool
    this.#queue = this.#queue.then(() => this.#compress(spool));
    return this.#queue.then(() => this.#throwIfFailed());
  }

  async close(): Promise<void> {
    await this.checkpoint();
    // A history with no line still reads as gzip (one empty member), as the streaming writer left it.
    if (this.#members === 0) await appendBytes(this.#file, gzipSync(Buffer.alloc(0), { level: HISTORY_GZIP_LEVEL }));
  }

  #openSpool(): Spool {
    this.#spools += 1;
    const path = `${this.#spoolBase}${this.#spools}`;
    const output = createWriteStream(path, { flags: "w" });
    return { path, output, done: finished(output), bytes: 0 };
  }

  // Ends a spool, appends its lines to the history as one gzip member and deletes it.
  async #compress(spool: Spool | undefined): Promise<void> {
    if (spool === undefined) return;
    spool.output.end();
    try {
      await spool.done;
      if (spool.bytes === 0) return;
      await pipeline(
        createReadStream(spool.path),
        createGzip({ level: HISTORY_GZIP_LEVEL, chunkSize: 256 * 1024 }),
        createWriteStream(this.#file, { flags: "a" }),
      );
      this.#members += 1;
    } catch (error) {
      this.#fail(error);
      return; // the spool stays: its lines are not in the history file
    }
    await unlink(spool.path).catch((error: unknown) => this.#fail(error));
  }

  #fail(error: unknown): void {
    this.#error ??= toError(error);
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined)
      throw new Error(`writing the history file ${this.#file} failed: ${this.#error.message}`, { cause: this.#error });
  }
}

// Settles when a write stream has finished (rejects on its first error).
function finished(output: WriteStream): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    output.once("finish", resolve);
    output.once("error", reject);
  });
  // A write error surfaces at close or checkpoint, not as an unhandled rejection in the middle of the run.
  done.catch(() => undefined);
  return done;
}

// Appends bytes to a file.
async function appendBytes(file: string, bytes: Uint8Array): Promise<void> {
  const output = createWriteStream(file, { flags: "a" });
  output.end(bytes);
  await finished(output);
}

/** Streams the lines of a history file (gzip or plain text, chosen by the file's first two bytes). */
export async function* readHistoryLines(file: string): AsyncGenerator<string> {
  const head = await readFirstBytes(file, 2);
  const input = createReadStream(file);
  const text = head[0] === 0x1f && head[1] === 0x8b ? input.pipe(createGunzip()) : input;
  input.once("error", (error) => text.destroy(error));
  for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
    if (line !== "") yield line;
  }
}

/** What a history file holds: the ops, and the runs of writes refused before they were sent (refused-runs.ts). */
export interface HistoryContents {
  ops: Array<Op & { run: string }>;
  refused: RefusedRunRecord[];
}

/** Reads a history file (of one run when `runId` is given): its ops, and its refused runs apart. */
export async function readHistoryContents(file: string, runId?: string): Promise<HistoryContents> {
  const contents: HistoryContents = { ops: [], refused: [] };
  for await (const line of readHistoryLines(file)) {
    const record = JSON.parse(line) as (Op & { run: string }) | RefusedRunRecord;
    if (runId !== undefined && record.run !== runId) continue;
    if (isRefusedRunRecord(record)) contents.refused.push(record);
    else contents.ops.push(record);
  }
  return contents;
}

/**
 * Reads the ops of a history file (of one run when `runId` is given). Writes refused before they were sent
 * are not among them: the file keeps only their runs (readHistoryContents returns those too).
 */
export async function readHistory(file: string, runId?: string): Promise<Array<Op & { run: string }>> {
  return (await readHistoryContents(file, runId)).ops;
}

// The first `count` bytes of a file (fewer when it is shorter).
async function readFirstBytes(file: string, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: count - 1 })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}
