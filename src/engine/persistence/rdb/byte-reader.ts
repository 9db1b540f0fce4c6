// A cursor over an RDB byte buffer with the format's primitives: bytes, little-endian integers,
// doubles, length encoding, and strings (integer, LZF or raw). Problems throw RdbDecodeProblem
// carrying the offset where the bad item starts.
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_6BITLEN,
  RDB_DOUBLE_NAN,
  RDB_DOUBLE_NEG_INF,
  RDB_DOUBLE_POS_INF,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from "./format.ts";
import { RdbDecodeProblem } from "./errors.ts";
import { lzfDecompress, lzfDecompressInto } from "./lzf.ts";

let scratch = Buffer.allocUnsafe(64 * 1024);
import { latin1Slice } from "./latin1.ts";

/** Reads RDB primitives from a buffer. */
export class RdbByteReader {
  readonly buffer: Buffer;
  position: number;
  /** Set by length(): true when the length was a special encoding (RDB_ENC_*). */
  lengthIsEncoded = false;

  constructor(bytes: Uint8Array, position = 0) {
    this.buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = position;
  }

  /** Throws "unexpected end of file" unless `count` more bytes exist. */
  need(count: number, what: string): void {
    if (this.position + count > this.buffer.length) {
      throw new RdbDecodeProblem(
        `unexpected end of file reading ${what} (needed ${count} bytes, ${this.buffer.length - this.position} left)`,
        this.position,
      );
    }
  }

  byte(what = "a byte"): number {
    this.need(1, what);
    return this.buffer[this.position++]!;
  }

  bytes(count: number, what: string): Buffer {
    this.need(count, what);
    const out = this.buffer.subarray(this.position, this.position + count);
    this.position += count;
    return out;
  }

  uint32LE(what: string): number {
    this.need(4, what);
    const value = this.buffer.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** A signed 64-bit LE integer as a number (unix ms fit exactly). */
  int64LE(what: string): number {
    this.need(8, what);
    const value = Number(this.buffer.readBigInt64LE(this.position));
    this.position += 8;
    return value;
  }

  doubleLE(what: string): number {
    this.need(8, what);
    const value = this.buffer.readDoubleLE(this.position);
    this.position += 8;
    return value;
  }

  /** An RDB length; sets lengthIsEncoded when the byte announced a special string encoding. */
  length(what = "a length"): number {
    const start = this.position;
    const first = this.byte(what);
    const kind = first >>> 6;
    this.lengthIsEncoded = false;
    if (kind === RDB_6BITLEN) return first & 0x3f;
    if (kind === RDB_14BITLEN) return ((first & 0x3f) << 8) | this.byte(what);
    if (kind === RDB_ENCVAL) {
      this.lengthIsEncoded = true;
      return first & 0x3f;
    }
    if (first === RDB_32BITLEN) {
      this.need(4, what);
      const value = this.buffer.readUInt32BE(this.position);
      this.position += 4;
      return value;
    }
    if (first === RDB_64BITLEN) {
      this.need(8, what);
      const value = this.buffer.readBigUInt64BE(this.position);
      this.position += 8;
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbDecodeProblem(`length ${value} is too large`, start);
      return Number(value);
    }
    throw new RdbDecodeProblem(`unknown length encoding 0x${first.toString(16)} reading ${what}`, start);
  }

  /** A length that must not be a special string encoding. */
  plainLength(what: string): number {
    const start = this.position;
    const value = this.length(what);
    if (this.lengthIsEncoded)
      throw new RdbDecodeProblem(`expected a length for ${what}, found a string encoding`, start);
    return value;
  }

  /** A string as latin1 text (one char per byte). */
  string(what = "a string"): string {
    const start = this.position;
    const buffer = this.buffer;
    // Fast path: a 6-bit length and the bytes all present (most keys and small values).
    if (start < buffer.length) {
      const first = buffer[start]!;
      if (first < 0x40 && start + 1 + first <= buffer.length) {
        this.position = start + 1 + first;
        return latin1Slice(buffer, start + 1, start + 1 + first);
      }
    }
    const length = this.length(what);
    if (!this.lengthIsEncoded) {
      this.need(length, what);
      const text = latin1Slice(this.buffer, this.position, this.position + length);
      this.position += length;
      return text;
    }
    switch (length) {
      case RDB_ENC_INT8:
        this.need(1, what);
        return String(this.buffer.readInt8(this.position++));
      case RDB_ENC_INT16: {
        this.need(2, what);
        const value = this.buffer.readInt16LE(this.position);
        this.position += 2;
        return String(value);
      }
      case RDB_ENC_INT32: {
        this.need(4, what);
        const value = this.buffer.readInt32LE(this.position);
        this.position += 4;
        return String(value);
      }
      case RDB_ENC_LZF: {
        const compressedLength = this.plainLength(`compressed length of ${what}`);
        const length = this.plainLength(`uncompressed length of ${what}`);
        this.need(compressedLength, what);
        if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, scratch.length * 2));
        try {
          lzfDecompressInto(this.buffer, this.position, this.position + compressedLength, scratch, length);
        } catch (error) {
          throw new RdbDecodeProblem(
            `invalid LZF data in ${what}: ${error instanceof Error ? error.message : String(error)}`,
            start,
          );
        }
        this.position += compressedLength;
        return latin1Slice(scratch, 0, length);
      }
      default:
        throw new RdbDecodeProblem(`unknown string encoding ${length} reading ${what}`, start);
    }
  }

  /** A string as raw bytes (listpack, intset, ziplist blobs). */
  blob(what: string): Uint8Array {
    const start = this.position;
    const length = this.length(what);
    if (!this.lengthIsEncoded) return this.bytes(length, what);
    if (length === RDB_ENC_LZF) return this.lzf(what, start);
    this.position = start;
    return Buffer.from(this.string(what), "latin1");
  }

  /** An old-style (type 3 ZSET) double: length byte + ASCII text, or 253/254/255 for nan/+inf/-inf. */
  stringDouble(what: string): number {
    const start = this.position;
    const length = this.byte(what);
    if (length === RDB_DOUBLE_NAN) return Number.NaN;
    if (length === RDB_DOUBLE_POS_INF) return Infinity;
    if (length === RDB_DOUBLE_NEG_INF) return -Infinity;
    const text = latin1Slice(this.bytes(length, what), 0, length);
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value))
      throw new RdbDecodeProblem(`invalid double text '${text}' reading ${what}`, start);
    return value;
  }

  private lzf(what: string, start: number): Uint8Array {
    const compressedLength = this.plainLength(`compressed length of ${what}`);
    const length = this.plainLength(`uncompressed length of ${what}`);
    const compressed = this.bytes(compressedLength, what);
    try {
      return lzfDecompress(compressed, length);
    } catch (error) {
      throw new RdbDecodeProblem(
        `invalid LZF data in ${what}: ${error instanceof Error ? error.message : String(error)}`,
        start,
      );
    }
  }
}
