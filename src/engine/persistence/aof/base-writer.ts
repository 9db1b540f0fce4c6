// Writes a new AOF base from a point-in-time snapshot into a temp file, in slices that keep the event
// loop responsive: RDB format through the RDB module when aof-use-rdb-preamble is yes, else commands.
// Incremental fsync every 4 MB (aof-rewrite-incremental-fsync), a final fdatasync, then close.
import { unlink } from "node:fs/promises";
import type { KeyspaceSnapshot } from "../../keyspace/snapshot.ts";
import type { RdbEncodingSettings } from "../rdb/encoding-choice.ts";
import { faultPoint } from "../fault-points.ts";
import { encodeSelect, encodeTimestampAnnotation } from "./command-encoder.ts";
import { closeAsync, fdatasyncAsync, openAsync, writeAllAsync } from "./fd-io.ts";
import type { FsyncStats } from "./fsync-stats.ts";
import { RewriteCancelledError } from "./errors.ts";
import { writeRdbPreamble } from "./rdb-preamble.ts";
import { encodeEntry } from "./rewrite-commands.ts";

/** REDIS_AUTOSYNC_BYTES: fsync the base every 4 MB while writing it. */
const AUTOSYNC_BYTES = 4 * 1024 * 1024;
/** Bytes gathered before one write(2). */
const WRITE_CHUNK_BYTES = 256 * 1024;
/** Main-thread time one slice of the command walk may take. */
const SLICE_BUDGET_MS = 2;

/** Inputs of a base write. */
export interface BaseWriteOptions {
  readonly snapshot: KeyspaceSnapshot;
  readonly path: string;
  readonly format: "rdb" | "aof";
  readonly timestamps: boolean;
  readonly compression: boolean;
  readonly checksum: boolean;
  /** listpack/intset thresholds for an RDB base. */
  readonly encoding: RdbEncodingSettings;
  readonly incrementalFsync: boolean;
  /** Microseconds to wait after each key (rdb-key-save-delay, for tests). */
  readonly keyDelayUs: number;
  readonly stats: FsyncStats;
  readonly isCancelled: () => boolean;
}

// Buffers small writes into large ones, fsyncs every AUTOSYNC_BYTES, fires the mid-write fault point.
class FileSink {
  private readonly fd: number;
  private readonly options: BaseWriteOptions;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private sinceSync = 0;
  private wroteOnce = false;
  bytes = 0;

  constructor(fd: number, options: BaseWriteOptions) {
    this.fd = fd;
    this.options = options;
  }

  /** The RDB writer may reuse a chunk's memory once write() settles: a chunk kept for later is copied. */
  readonly releasesChunks = true;

  async write(chunk: Uint8Array): Promise<void> {
    if (this.options.isCancelled()) throw new RewriteCancelledError("AOF rewrite cancelled");
    this.buffered += chunk.length;
    if (this.buffered >= WRITE_CHUNK_BYTES || !this.wroteOnce) {
      this.chunks.push(chunk);
      await this.flush();
    } else {
      this.chunks.push(Buffer.from(chunk));
    }
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const data = this.chunks.length === 1 ? (this.chunks[0] as Uint8Array) : Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    await writeAllAsync(this.fd, data);
    this.bytes += data.length;
    this.sinceSync += data.length;
    if (!this.wroteOnce) {
      this.wroteOnce = true;
      faultPoint("aof-rewrite:mid-base-write");
    }
    if (this.options.incrementalFsync && this.sinceSync >= AUTOSYNC_BYTES) {
      this.sinceSync = 0;
      await fdatasyncAsync(this.fd);
    }
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

// The command-format walk: SELECT per database, the entries' commands, slices of ~2 ms.
async function writeCommandBase(options: BaseWriteOptions, sink: FileSink): Promise<number> {
  const { snapshot } = options;
  let keys = 0;
  let lastDb = -1;
  let header = options.timestamps ? encodeTimestampAnnotation(Math.floor(Date.now() / 1000)) : "";
  let scratch = Buffer.allocUnsafe(2 * WRITE_CHUNK_BYTES);
  const perKeyDelay = options.keyDelayUs > 0;
  for (;;) {
    const started = performance.now();
    let text = header;
    header = "";
    let done = false;
    do {
      let slice = "";
      const database = snapshot.nextSlice(perKeyDelay ? 1 : 64, (key, value, expireAtMs) => {
        slice += encodeEntry({ key, value, expireAtMs });
        keys += 1;
      });
      if (database === null) {
        done = true;
        break;
      }
      if (database.index !== lastDb) {
        text += encodeSelect(database.index);
        lastDb = database.index;
      }
      text += slice;
    } while (!perKeyDelay && text.length < WRITE_CHUNK_BYTES && performance.now() - started < SLICE_BUDGET_MS);
    if (text !== "") {
      // Encoded into one reused buffer (the sink writes or copies it before returning), not a fresh
      // 256 KB allocation per chunk: page faults cost more than the encoding on a virtualised machine.
      if (scratch.length < text.length) scratch = Buffer.allocUnsafe(2 * text.length);
      await sink.write(scratch.subarray(0, scratch.write(text, 0, "latin1")));
    }
    if (done) return keys;
    if (perKeyDelay) {
      // rdb-key-save-delay: paused in steps of at most 50 ms so a cancel (or a killed child) stops it promptly.
      const endsAt = Date.now() + Math.max(1, Math.round(options.keyDelayUs / 1000));
      while (!options.isCancelled() && Date.now() < endsAt) await sleep(Math.min(50, endsAt - Date.now()));
    } else await yieldToEventLoop();
    if (options.isCancelled()) throw new RewriteCancelledError("AOF rewrite cancelled");
  }
}

/** Writes the whole base into `path`, fsynced and closed. Removes the file on failure. */
export async function writeBaseFile(options: BaseWriteOptions): Promise<{ bytes: number; keys: number }> {
  const fd = await openAsync(options.path, "w");
  let closed = false;
  try {
    const sink = new FileSink(fd, options);
    let keys: number;
    if (options.format === "rdb") {
      keys = options.snapshot.totalKeys;
      await writeRdbPreamble(options.snapshot, sink, {
        compression: options.compression,
        checksum: options.checksum,
        encoding: options.encoding,
        keyDelayUs: options.keyDelayUs,
        isCancelled: options.isCancelled,
      });
    } else {
      keys = await writeCommandBase(options, sink);
    }
    await sink.flush();
    const started = performance.now();
    await fdatasyncAsync(fd);
    options.stats.record((performance.now() - started) * 1000);
    closed = true;
    await closeAsync(fd);
    return { bytes: sink.bytes, keys };
  } catch (error) {
    if (!closed) await closeAsync(fd).catch(() => {});
    await unlink(options.path).catch(() => {});
    throw error;
  }
}
