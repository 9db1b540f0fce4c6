// The history file of a run folder: history.jsonl.gz, gzip-compressed as it is written (zcat reads it), and
// the one reader every consumer goes through. Compression happens in zlib's asynchronous stream, i.e. on
// libuv's thread pool: the load generator's thread only hands over 128 KB chunks. Level 6 (zlib's default):
// a full crash-loss run on the bundled engine (2.67 M ops, 705 MB of JSON lines, two thirds of them writes
// refused while the engine restarted) took 56.8 MB and 4.8 CPU-seconds; level 4 took 63.3 MB (2.8 s), level 9
// 54.2 MB (17 s). History lines compress 11-12x at this level.
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { Op } from "./op.ts";

/** File name of the history in a run folder. */
export const HISTORY_FILE = "history.jsonl.gz";

/** gzip level of history files (see the header). */
export const HISTORY_GZIP_LEVEL = 6;

/** A history file open for writing: write() chunks of lines, then closeHistoryStream(). */
export interface HistoryStream {
  readonly writable: Writable;
  /** Settles when everything is on disk (rejects on a write error). */
  readonly done: Promise<void>;
}

/**
 * Opens a history file for appending: gzip-compressed when the name ends in `.gz` (appending adds a gzip
 * member, which zcat and readHistory read as one stream), plain text otherwise.
 */
export function openHistoryStream(file: string): HistoryStream {
  const output = createWriteStream(file, { flags: "a" });
  if (!file.endsWith(".gz")) {
    const done = new Promise<void>((resolve, reject) => {
      output.once("finish", resolve);
      output.once("error", reject);
    });
    return { writable: output, done };
  }
  const gzip = createGzip({ level: HISTORY_GZIP_LEVEL, chunkSize: 256 * 1024 });
  const done = pipeline(gzip, output);
  // A write error surfaces at closeHistoryStream(), not as an unhandled rejection in the middle of the run.
  done.catch(() => undefined);
  return { writable: gzip, done };
}

/** Ends a history stream, resolving when everything is on disk. */
export async function closeHistoryStream(stream: HistoryStream): Promise<void> {
  stream.writable.end();
  await stream.done;
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

/** Reads every op of a history file (of one run when `runId` is given). */
export async function readHistory(file: string, runId?: string): Promise<Array<Op & { run: string }>> {
  const ops: Array<Op & { run: string }> = [];
  for await (const line of readHistoryLines(file)) {
    const op = JSON.parse(line) as Op & { run: string };
    if (runId === undefined || op.run === runId) ops.push(op);
  }
  return ops;
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
