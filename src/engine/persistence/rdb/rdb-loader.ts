// Reads a whole RDB file: header, aux fields, databases, entries with expiries, EOF and CRC64.
// Entries go to a sink (the keyspace, or check-rdb's counters). The parser is resumable, so the
// same code loads synchronously (loadRdbBuffer) or in slices that yield (loadRdbBufferAsync).
// Any corruption or truncation throws RdbFormatError naming the file, the offset and the reason.
import type { Keyspace } from "../../keyspace/keyspace.ts";
import { isEmptyCollection, type StoredValue } from "../../keyspace/values.ts";
import { RdbByteReader } from "./byte-reader.ts";
import { createCrc64, crc64Value, updateCrc64, type Crc64State } from "./crc64.ts";
import { RdbDecodeProblem, RdbFormatError } from "./errors.ts";
import {
  RDB_MAGIC,
  RDB_MAX_READABLE_VERSION,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_FUNCTION_PRE_GA,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_NAMES,
} from "./format.ts";
import { isValueType, readValue } from "./value-decoder.ts";
import { latin1Slice } from "./latin1.ts";

/** Receives the entries of a file. */
export interface RdbEntrySink {
  /** Called once per SELECTDB (at the opcode's offset); throw RdbDecodeProblem to refuse the index. */
  selectDatabase(index: number, offset: number): void;
  /** Called for each aux field (check-rdb prints them). */
  onAux?(name: string, value: string, offset: number): void;
  /** One live entry (expired ones were dropped before when dropExpired). Positional: called once per key. */
  add(dbIndex: number, key: string, value: StoredValue, expireAtMs: number | undefined, type: number): void;
}

/** How to read. */
export interface RdbLoadOptions {
  /** Named in errors. */
  fileName: string;
  /** Keys whose expiry is before this unix ms are dropped (when dropExpired). */
  nowMs: number;
  /** Drop keys already expired (default true; Redis keeps them in an AOF preamble). */
  dropExpired?: boolean;
  /** Verify the CRC64 trailer when present (rdbchecksum; default true). */
  verifyChecksum?: boolean;
  /** A key present twice: refuse (default, as Redis) or let the later one win (DEBUG RELOAD MERGE). */
  onDuplicate?: "error" | "replace";
  /**
   * A function library (Redis 7 FUNCTION): refuse the file naming it (default: the engine has no scripting,
   * and loading without the library would drop it silently), or count it (check-rdb, which only reads).
   */
  functionLibraries?: "refuse" | "count";
}

/** The library name of a Redis 7 function library's code (its `#!<engine> name=<name>` first line). */
export function functionLibraryName(code: string): string {
  const firstLine = code.split("\n", 1)[0] ?? "";
  return /(?:^|\s)name=(\S+)/.exec(firstLine)?.[1] ?? "(unnamed)";
}

/** What a load found. */
export interface RdbLoadResult {
  /** Bytes from the start through the CRC trailer (an AOF tail may follow). */
  bytesConsumed: number;
  /** Keys loaded. */
  keys: number;
  /** Keys dropped because already expired. */
  expired: number;
  /** Empty collections skipped. */
  emptySkipped: number;
  /** Aux fields, in file order. */
  aux: Map<string, string>;
  version: number;
  /** ok, disabled (file saved without one), skipped (verification off). */
  checksum: "ok" | "disabled" | "skipped";
  /** Function libraries counted (only with functionLibraries: "count"; otherwise the first one refuses the file). */
  functionsSkipped: number;
}

/** A resumable RDB parser. */
export class RdbParser {
  readonly options: RdbLoadOptions;
  private readonly reader: RdbByteReader;
  private readonly sink: RdbEntrySink;
  private readonly crc: Crc64State = createCrc64();
  private crcUpTo = 0;
  private dbIndex = 0;
  private done = false;
  readonly result: RdbLoadResult;

  constructor(buffer: Uint8Array, sink: RdbEntrySink, options: RdbLoadOptions) {
    this.reader = new RdbByteReader(buffer);
    this.sink = sink;
    this.options = options;
    this.result = {
      bytesConsumed: 0,
      keys: 0,
      expired: 0,
      emptySkipped: 0,
      aux: new Map(),
      version: 0,
      checksum: "skipped",
      functionsSkipped: 0,
    };
    this.guard(() => this.readHeader());
  }

  /** Bytes parsed so far. */
  get position(): number {
    return this.reader.position;
  }

  get totalBytes(): number {
    return this.reader.buffer.length;
  }

  /** Parses up to `maxItems` opcodes/entries; returns true when the file is complete. */
  step(maxItems: number): boolean {
    if (this.done) return true;
    this.guard(() => {
      for (let count = 0; count < maxItems && !this.done; count += 1) this.readItem();
    });
    return this.done;
  }

  /** A location-aware error from the current position. */
  fail(reason: string, offset = this.reader.position, checksumMismatch?: { computed: bigint; stored: bigint }): never {
    throw new RdbFormatError({ file: this.options.fileName, offset, reason, checksumMismatch });
  }

  private guard(body: () => void): void {
    const start = this.reader.position;
    try {
      body();
    } catch (error) {
      if (error instanceof RdbDecodeProblem) this.fail(error.message, error.offset ?? Math.max(start, this.itemStart));
      throw error;
    }
  }

  private itemStart = 0;

  private readHeader(): void {
    const reader = this.reader;
    const magic = latin1Slice(reader.bytes(9, "the RDB header"), 0, 9);
    if (!magic.startsWith(RDB_MAGIC))
      this.fail(
        `wrong signature trying to load DB from file (expected 'REDIS', found ${JSON.stringify(magic.slice(0, 5))})`,
        0,
      );
    const versionText = magic.slice(5);
    const version = /^\d{4}$/.test(versionText) ? Number(versionText) : Number.NaN;
    if (!(version >= 1 && version <= RDB_MAX_READABLE_VERSION))
      this.fail(`can't handle RDB format version ${JSON.stringify(versionText)}`, 5);
    this.result.version = version;
  }

  private readItem(): void {
    const reader = this.reader;
    this.itemStart = reader.position;
    let type = reader.byte("an opcode or value type");
    let expireAtMs: number | undefined;
    // Prefixes of an entry: expiry and LRU/LFU hints, in any order.
    for (;;) {
      if (type === RDB_OPCODE_EXPIRETIME_MS) expireAtMs = reader.int64LE("an expire time");
      else if (type === RDB_OPCODE_EXPIRETIME) expireAtMs = reader.uint32LE("an expire time") * 1000;
      else if (type === RDB_OPCODE_IDLE) reader.length("an LRU idle time");
      else if (type === RDB_OPCODE_FREQ) reader.byte("an LFU frequency");
      else break;
      type = reader.byte("a value type");
    }
    switch (type) {
      case RDB_OPCODE_EOF:
        if (expireAtMs !== undefined) this.fail("expire time not followed by a key", this.itemStart);
        this.finish();
        return;
      case RDB_OPCODE_SELECTDB: {
        const index = reader.plainLength("a database number");
        this.sink.selectDatabase(index, this.itemStart);
        this.dbIndex = index;
        return;
      }
      case RDB_OPCODE_RESIZEDB:
        reader.plainLength("the database size hint");
        reader.plainLength("the expires size hint");
        return;
      case RDB_OPCODE_AUX: {
        const name = reader.string("an aux field name");
        const value = reader.string(`the value of aux field '${name}'`);
        this.result.aux.set(name, value);
        this.sink.onAux?.(name, value, this.itemStart);
        return;
      }
      case RDB_OPCODE_FUNCTION2: {
        const code = reader.string("a function library");
        if (this.options.functionLibraries !== "count") {
          throw new RdbFormatError({
            file: this.options.fileName,
            offset: this.itemStart,
            unsupported: true,
            reason:
              `holds the function library "${functionLibraryName(code)}" (Redis 7 FUNCTION), and persistlab-server has no scripting: ` +
              "loading the file without it would lose it silently. Load it in redis-server, or FUNCTION DELETE the library there and save again",
          });
        }
        this.result.functionsSkipped += 1;
        return;
      }
      case RDB_OPCODE_FUNCTION_PRE_GA:
        this.fail("pre-release function format not supported", this.itemStart);
        break;
      case RDB_OPCODE_MODULE_AUX:
        this.fail("module aux data is not supported (the engine has no modules)", this.itemStart);
        break;
      default:
        if (!isValueType(type)) this.fail(`unknown RDB opcode or value type ${type}`, reader.position - 1);
        this.readEntry(type, expireAtMs);
    }
  }

  private readEntry(type: number, expireAtMs: number | undefined): void {
    const reader = this.reader;
    const key = reader.string("a key");
    const valueStart = reader.position;
    let value: StoredValue;
    try {
      value = readValue(reader, type);
    } catch (error) {
      if (error instanceof RdbDecodeProblem) {
        this.fail(
          `reading the value of key ${JSON.stringify(key)} (${RDB_TYPE_NAMES[type] ?? `type ${type}`}): ${error.message}`,
          error.offset ?? valueStart,
        );
      }
      throw error;
    }
    if (typeof value !== "string" && isEmptyCollection(value)) {
      this.result.emptySkipped += 1;
      return;
    }
    if (expireAtMs !== undefined && (this.options.dropExpired ?? true) && expireAtMs < this.options.nowMs) {
      this.result.expired += 1;
      return;
    }
    try {
      this.sink.add(this.dbIndex, key, value, expireAtMs, type);
    } catch (error) {
      if (error instanceof RdbDecodeProblem) this.fail(error.message, this.itemStart);
      throw error;
    }
    this.result.keys += 1;
  }

  private finish(): void {
    const reader = this.reader;
    const eofEnd = reader.position;
    const verify = this.options.verifyChecksum ?? true;
    if (this.result.version >= 5) {
      const trailerAt = reader.position;
      const trailer = reader.bytes(8, "the CRC64 checksum");
      const expected = trailer.readBigUInt64LE(0);
      if (expected === 0n) this.result.checksum = "disabled";
      else if (!verify) this.result.checksum = "skipped";
      else {
        updateCrc64(this.crc, reader.buffer, this.crcUpTo, eofEnd);
        this.crcUpTo = eofEnd;
        const actual = crc64Value(this.crc);
        if (actual !== expected) {
          this.fail(
            `wrong RDB checksum: the file says 0x${expected.toString(16).padStart(16, "0")}, the data gives 0x${actual.toString(16).padStart(16, "0")}`,
            trailerAt,
            { computed: actual, stored: expected },
          );
        }
        this.result.checksum = "ok";
      }
    }
    this.result.bytesConsumed = reader.position;
    this.done = true;
  }

  /** Feeds the bytes parsed so far into the CRC (keeps the final check cheap for sliced loads). */
  advanceChecksum(): void {
    const end = Math.min(this.reader.position, this.reader.buffer.length);
    if (end > this.crcUpTo && !this.done) {
      updateCrc64(this.crc, this.reader.buffer, this.crcUpTo, end);
      this.crcUpTo = end;
    }
  }
}

/** A sink that stores entries in the keyspace's databases. */
export function createKeyspaceSink(keyspace: Keyspace, onDuplicate: "error" | "replace" = "error"): RdbEntrySink {
  let database = keyspace.database(0);
  return {
    selectDatabase: (index) => {
      if (index >= keyspace.databases.length) {
        throw new RdbDecodeProblem(
          `the file uses database ${index} but the server is configured with ${keyspace.databases.length} databases`,
        );
      }
      database = keyspace.database(index);
    },
    add: (_dbIndex, key, value, expireAtMs) => {
      const direct = keyspace.activeSnapshots === 0;
      if (direct) {
        // One hash operation per key: a duplicate shows as an unchanged size.
        const dict = database.dict;
        const size = dict.size;
        dict.set(key, value);
        if (dict.size === size && onDuplicate === "error")
          throw new RdbDecodeProblem(`duplicate key ${JSON.stringify(key)} in database ${database.index}`);
      } else {
        if (database.dict.has(key) && onDuplicate === "error")
          throw new RdbDecodeProblem(`duplicate key ${JSON.stringify(key)} in database ${database.index}`);
        database.set(key, value);
      }
      if (expireAtMs !== undefined) {
        if (direct) database.expires.set(key, expireAtMs);
        else database.setExpire(key, expireAtMs);
      } else if (!direct) database.persist(key);
    },
  };
}

/** Loads a whole RDB into the keyspace synchronously; throws RdbFormatError on corruption or truncation. */
export function loadRdbBuffer(buffer: Uint8Array, keyspace: Keyspace, options: RdbLoadOptions): RdbLoadResult {
  const parser = new RdbParser(buffer, createKeyspaceSink(keyspace, options.onDuplicate), options);
  while (!parser.step(4096));
  return parser.result;
}

/** Records per slice when key-load-delay is set. */
const DELAYED_SLICE_ITEMS = 64;

/** Loads in slices that yield to the event loop between them (start-up of big files: -LOADING stays answerable). */
export async function loadRdbBufferAsync(
  buffer: Uint8Array,
  keyspace: Keyspace,
  options: RdbLoadOptions & { sliceBudgetMs?: number; onProgress?: (loadedBytes: number) => void; keyDelayUs?: number },
): Promise<RdbLoadResult> {
  const parser = new RdbParser(buffer, createKeyspaceSink(keyspace, options.onDuplicate), options);
  const budget = options.sliceBudgetMs ?? 10;
  // key-load-delay (a test knob, as in Redis): about keyDelayUs per record, paid as a timer pause after each
  // slice of DELAYED_SLICE_ITEMS records, so tests can hold the server in LOADING for as long as they need.
  const keyDelayUs = options.keyDelayUs ?? 0;
  for (;;) {
    let done: boolean;
    if (keyDelayUs > 0) done = parser.step(DELAYED_SLICE_ITEMS);
    else {
      const deadline = performance.now() + budget;
      done = parser.step(256);
      while (!done && performance.now() < deadline) done = parser.step(256);
    }
    if (done) break;
    parser.advanceChecksum();
    options.onProgress?.(parser.position);
    await new Promise<void>((resolve) =>
      keyDelayUs > 0 ? setTimeout(resolve, (DELAYED_SLICE_ITEMS * keyDelayUs) / 1000) : setImmediate(resolve),
    );
  }
  options.onProgress?.(parser.position);
  return parser.result;
}
