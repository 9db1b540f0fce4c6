// Serialises a copy-on-write keyspace snapshot as a complete RDB file (version 10): header, aux
// fields, per database SELECTDB + RESIZEDB + entries (with expiries), EOF and CRC64. The async
// writer works in slices of a few milliseconds and yields to the event loop between them; the
// sync writer (SAVE, SHUTDOWN, DEBUG RELOAD) runs the same encoder without yielding.
import type { Keyspace } from "../../keyspace/keyspace.ts";
import type { KeyspaceSnapshot, SnapshotEntry } from "../../keyspace/snapshot.ts";
import type { StoredValue } from "../../keyspace/values.ts";
import { RdbByteWriter } from "./byte-writer.ts";
import { createCrc64, crc64Bytes, updateCrc64, type Crc64State } from "./crc64.ts";
import { chooseRdbType, DEFAULT_RDB_ENCODING_SETTINGS, type RdbEncodingSettings } from "./encoding-choice.ts";
import {
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
} from "./format.ts";
import { toIntsetValues } from "./intset.ts";
import { isLargeValue, LARGE_VALUE_ELEMENTS, LargeValueJob } from "./large-value-job.ts";
import { writeKeyValue } from "./value-encoder.ts";
import { guardLargeValue } from "./write-guard.ts";

/** Where the bytes go (a file, a buffer, a socket). A returned promise is awaited before the next chunk. */
export interface RdbSink {
  write(chunk: Uint8Array): Promise<void> | void;
  /**
   * True when write() keeps no reference to the chunk once its promise settles (a file write awaited to
   * the end): the async writer then reuses the chunk's memory for a later chunk instead of giving every
   * chunk a fresh buffer. A 1M-key BGSAVE allocated 114 chunks of 256 KB, 3,600 page faults a second on
   * this project's VM, each one costly under its virtualisation.
   */
  readonly releasesChunks?: boolean;
}

/** A sink that never returns a promise (for the synchronous writer). */
export interface RdbSyncSink {
  write(chunk: Uint8Array): void;
}

/** How to write. */
export interface RdbWriteOptions {
  /** rdbcompression: LZF-compress strings longer than 20 bytes when it saves space. */
  compression: boolean;
  /** rdbchecksum: write the CRC64 (else 8 zero bytes, "not computed"). */
  checksum: boolean;
  /** Extra aux fields, written after redis-ver, redis-bits, ctime, used-mem (e.g. ["aof-base", "1"]). */
  aux?: ReadonlyArray<readonly [string, string]>;
  /** Encoding thresholds (defaults: Redis 7.0's). */
  encoding?: RdbEncodingSettings;
  /** Longest time one slice of the async writer may run, in ms (default 1: a command that arrives waits at most one slice). */
  sliceBudgetMs?: number;
  /** Called after each slice with the keys written so far. */
  onProgress?: (keysWritten: number) => void;
  /** Called once after about half of the keys were written (fault injection of crash tests). */
  onMidway?: () => void;
  /** How to yield between slices (default: setImmediate). Tests slow saves down with a timer here. */
  yieldBetweenSlices?: (keysWritten: number) => Promise<void>;
  /**
   * The keyspace the snapshot comes from. With it, big collections are written over several slices
   * and copied only if a write is about to change them; without it they are copied when reached.
   */
  keyspace?: Keyspace;
  /** Unix ms for the ctime aux field (default now). */
  nowMs?: number;
}

/** What was written. */
export interface RdbWriteResult {
  keys: number;
  bytes: number;
}

const FLUSH_BYTES = 256 * 1024;
const ENTRIES_PER_CALL = 32;

/** Encodes a snapshot step by step; shared by the async and sync writers. */
class SnapshotEncoder {
  readonly writer: RdbByteWriter;
  private readonly crc: Crc64State = createCrc64();
  private readonly checksum: boolean;
  private readonly snapshot: KeyspaceSnapshot;
  private readonly encoding: RdbEncodingSettings;
  /**
   * The entries of the current batch, as parallel arrays (no object per key) reused from batch to batch:
   * the first `pendingCount` slots count (emptying them with `length = 0` made V8 drop and regrow their
   * storage for every batch of 32).
   */
  private readonly pendingKeys: string[] = [];
  private readonly pendingValues: StoredValue[] = [];
  private readonly pendingExpiries: (number | undefined)[] = [];
  private currentDb = -1;
  private midwayAt: number;
  private readonly onMidway: (() => void) | undefined;
  private readonly keyspace: Keyspace | undefined;
  /** Big values of the current batch, written piece by piece before the next batch. */
  private readonly jobs: { job: LargeValueJob; release: () => void }[] = [];
  keys = 0;
  bytes = 0;
  /** The async writer's checksum piece size, adapted to how fast the CRC runs (see flushChunk). */
  checksumPieceBytes = CHECKSUM_PIECE_START;

  constructor(snapshot: KeyspaceSnapshot, options: RdbWriteOptions) {
    this.snapshot = snapshot;
    this.checksum = options.checksum;
    this.encoding = options.encoding ?? DEFAULT_RDB_ENCODING_SETTINGS;
    this.writer = new RdbByteWriter({ compression: options.compression, capacity: FLUSH_BYTES * 2 });
    this.onMidway = options.onMidway;
    this.keyspace = options.keyspace;
    this.midwayAt = options.onMidway === undefined ? Infinity : Math.floor(snapshot.totalKeys / 2);
    this.writeHeader(options);
  }

  /** Encodes entries until the deadline (performance.now() ms) passes; false when the snapshot is exhausted. */
  step(deadline: number): boolean {
    const { pendingKeys, pendingValues, pendingExpiries } = this;
    const writer = this.writer;
    const stop = (): boolean => writer.length >= FLUSH_BYTES || performance.now() >= deadline;
    let pendingCount = 0;
    const collect = (key: string, value: StoredValue, expireAtMs: number | undefined): void => {
      pendingKeys[pendingCount] = key;
      pendingValues[pendingCount] = value;
      pendingExpiries[pendingCount] = expireAtMs;
      pendingCount += 1;
    };
    for (;;) {
      // Big values of the last batch first: they belong to the database selected last.
      while (this.jobs.length > 0) {
        const current = this.jobs[0]!;
        if (!current.job.step(writer, stop)) return true;
        current.release();
        this.jobs.shift();
        this.countKeys(1);
        if (stop()) return true;
      }
      pendingCount = 0;
      const database = this.snapshot.nextSlice(ENTRIES_PER_CALL, collect);
      if (database === null) return false;
      if (database.index !== this.currentDb) {
        this.currentDb = database.index;
        writer.byte(RDB_OPCODE_SELECTDB);
        writer.rdbLength(database.index);
        writer.byte(RDB_OPCODE_RESIZEDB);
        writer.rdbLength(database.keyCount);
        writer.rdbLength(database.expiresCount);
      }
      let written = 0;
      for (let index = 0; index < pendingCount; index++) {
        const key = pendingKeys[index] as string;
        const value = pendingValues[index] as StoredValue;
        const expireAtMs = pendingExpiries[index];
        if (typeof value !== "string" && this.startLargeValue({ key, value, expireAtMs })) continue;
        if (expireAtMs !== undefined) {
          writer.byte(RDB_OPCODE_EXPIRETIME_MS);
          writer.millisecondsLE(expireAtMs);
        }
        writeKeyValue(writer, key, value, this.encoding);
        written += 1;
      }
      this.countKeys(written);
      if (this.jobs.length === 0 && stop()) return true;
    }
  }

  /** Releases the write guards of unfinished big values (after an error or a cancel). */
  dispose(): void {
    for (const { release } of this.jobs.splice(0)) release();
  }

  // A big collection becomes a job (guarded against writes, or copied at once without a keyspace).
  private startLargeValue(entry: SnapshotEntry): boolean {
    const value = entry.value;
    const size = value instanceof Map || value instanceof Set ? value.size : (value as { length: number }).length;
    if (size <= LARGE_VALUE_ELEMENTS) return false;
    const type = chooseRdbType(value, this.encoding, (set) => toIntsetValues(set) !== null);
    if (!isLargeValue(value, type)) return false;
    const job = new LargeValueJob({
      key: entry.key,
      value,
      type,
      expireAtMs: entry.expireAtMs,
      settings: this.encoding,
    });
    let release = (): void => {};
    if (this.keyspace === undefined) job.detach();
    else release = guardLargeValue(this.keyspace, job);
    this.jobs.push({ job, release });
    return true;
  }

  private countKeys(count: number): void {
    this.keys += count;
    if (this.keys >= this.midwayAt) {
      this.midwayAt = Infinity;
      this.onMidway?.();
    }
  }

  /** Takes the buffered bytes (updating the CRC), or null when none. */
  takeChunk(): Uint8Array | null {
    const chunk = this.takeChunkUnchecked();
    if (chunk !== null) this.checksumPiece(chunk, 0, chunk.length);
    return chunk;
  }

  /**
   * Takes the buffered bytes without feeding them to the CRC: the caller passes every byte of the chunk
   * to checksumPiece, in order, before taking the next one. `reuse`: a view of the writer's buffer, to be
   * given back with recycleChunk() (else a copy).
   */
  takeChunkUnchecked(reuse = false): Uint8Array | null {
    if (this.writer.length === 0) return null;
    const chunk = reuse ? this.writer.swap() : this.writer.take();
    this.bytes += chunk.length;
    return chunk;
  }

  /** Gives back a chunk taken with reuse once the sink is done with it. */
  recycleChunk(chunk: Uint8Array): void {
    this.writer.recycle(chunk);
  }

  /** Feeds chunk[start, end) to the CRC (nothing without rdbchecksum). */
  checksumPiece(chunk: Uint8Array, start: number, end: number): void {
    if (this.checksum) updateCrc64(this.crc, chunk, start, end);
  }

  /** Writes EOF and the CRC64 trailer; returns the final chunk. */
  finish(): Uint8Array {
    this.writer.byte(RDB_OPCODE_EOF);
    const body = this.writer.take();
    if (this.checksum) updateCrc64(this.crc, body);
    const trailer = this.checksum ? crc64Bytes(this.crc) : new Uint8Array(8);
    const out = new Uint8Array(body.length + 8);
    out.set(body, 0);
    out.set(trailer, body.length);
    this.bytes += out.length;
    return out;
  }

  private writeHeader(options: RdbWriteOptions): void {
    const writer = this.writer;
    writer.latin1(RDB_MAGIC + String(RDB_VERSION).padStart(4, "0"));
    const extra = new Map(options.aux ?? []);
    const aux: [string, string][] = [
      ["redis-ver", "7.0.15"],
      ["redis-bits", "64"],
      ["ctime", String(Math.floor((options.nowMs ?? Date.now()) / 1000))],
      ["used-mem", String(process.memoryUsage().heapUsed)],
    ];
    for (const pair of aux) {
      const override = extra.get(pair[0]);
      if (override !== undefined) {
        pair[1] = override;
        extra.delete(pair[0]);
      }
    }
    const aofBase = extra.get("aof-base") ?? "0";
    extra.delete("aof-base");
    for (const [name, value] of [...aux, ...extra, ["aof-base", aofBase] as const]) {
      writer.byte(RDB_OPCODE_AUX);
      writer.rdbString(name);
      writer.rdbString(value);
    }
  }
}

/**
 * Writes the whole snapshot as an RDB through `sink`, in slices that yield to the event loop
 * (setImmediate) so the loop never stalls for more than a few ms. Closes the snapshot when done
 * or when writing fails.
 */
export async function writeSnapshotRdb(
  snapshot: KeyspaceSnapshot,
  sink: RdbSink,
  options: RdbWriteOptions,
): Promise<RdbWriteResult> {
  const budget = options.sliceBudgetMs ?? 1;
  let encoder: SnapshotEncoder | null = null;
  try {
    encoder = new SnapshotEncoder(snapshot, options);
    for (;;) {
      const sliceDeadline = performance.now() + budget;
      const more = encoder.step(sliceDeadline);
      options.onProgress?.(encoder.keys);
      if (!more) break;
      if (encoder.writer.length >= FLUSH_BYTES) await flushChunk(encoder, sink, budget, sliceDeadline);
      await (options.yieldBetweenSlices?.(encoder.keys) ?? yieldToEventLoop());
    }
    await flushChunk(encoder, sink, budget, performance.now() + budget);
    await sink.write(encoder.finish());
    return { keys: encoder.keys, bytes: encoder.bytes };
  } finally {
    encoder?.dispose();
    snapshot.close();
  }
}

/** Writes the whole snapshot without yielding (SAVE, SHUTDOWN, DEBUG RELOAD block like Redis's). */
export function writeSnapshotRdbSync(
  snapshot: KeyspaceSnapshot,
  sink: RdbSyncSink,
  options: RdbWriteOptions,
): RdbWriteResult {
  try {
    const encoder = new SnapshotEncoder(snapshot, options);
    while (encoder.step(Infinity)) {
      const chunk = encoder.takeChunk();
      if (chunk !== null) sink.write(chunk);
    }
    const chunk = encoder.takeChunk();
    if (chunk !== null) sink.write(chunk);
    sink.write(encoder.finish());
    return { keys: encoder.keys, bytes: encoder.bytes };
  } finally {
    snapshot.close();
  }
}

/** Encodes a snapshot into one buffer (tests, DEBUG RELOAD, small AOF bases). */
export function encodeSnapshotRdb(snapshot: KeyspaceSnapshot, options: RdbWriteOptions): Uint8Array {
  const chunks: Uint8Array[] = [];
  writeSnapshotRdbSync(snapshot, { write: (chunk) => void chunks.push(chunk) }, options);
  return Buffer.concat(chunks);
}

/**
 * How many bytes of a chunk are checksummed between two looks at the clock: from CHECKSUM_PIECE_MIN, doubled
 * while a piece takes under a quarter of the slice budget and halved when it takes over half of it, up to
 * CHECKSUM_PIECE_MAX. The CRC of a whole 256 KB chunk took 0.35 ms once optimised but 4-5 ms on its first
 * calls (interpreted) on this project's VM, right after the slice that filled the chunk: a fixed piece size
 * either stalls the loop while the code is cold or looks at the clock far too often once it is hot.
 */
const CHECKSUM_PIECE_MIN = 1024;
const CHECKSUM_PIECE_MAX = 64 * 1024;
const CHECKSUM_PIECE_START = 4 * 1024;

// Takes the encoded bytes, checksums them in pieces (yielding to the event loop whenever a slice's
// budget is spent: a turn never runs the encoder and a whole chunk's CRC back to back), then writes them.
// `turnDeadline` is the end of the current turn's budget (the slice that filled the chunk may have spent it).
async function flushChunk(
  encoder: SnapshotEncoder,
  sink: RdbSink,
  budgetMs: number,
  turnDeadline: number,
): Promise<void> {
  const reuse = sink.releasesChunks === true;
  const chunk = encoder.takeChunkUnchecked(reuse);
  if (chunk === null) return;
  let deadline = turnDeadline;
  let start = 0;
  while (start < chunk.length) {
    let now = performance.now();
    if (now >= deadline) {
      await yieldToEventLoop();
      now = performance.now();
      deadline = now + budgetMs;
    }
    const end = Math.min(chunk.length, start + encoder.checksumPieceBytes);
    encoder.checksumPiece(chunk, start, end);
    const tookMs = performance.now() - now;
    if (tookMs < budgetMs / 4)
      encoder.checksumPieceBytes = Math.min(CHECKSUM_PIECE_MAX, encoder.checksumPieceBytes * 2);
    else if (tookMs > budgetMs / 2)
      encoder.checksumPieceBytes = Math.max(CHECKSUM_PIECE_MIN, encoder.checksumPieceBytes / 2);
    start = end;
  }
  await sink.write(chunk);
  if (reuse) encoder.recycleChunk(chunk);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
