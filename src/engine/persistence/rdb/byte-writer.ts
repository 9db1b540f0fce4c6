// A growable output buffer with the RDB primitives: bytes, little-endian integers, doubles,
// length encoding, and strings (integer-encoded, LZF-compressed or raw, chosen as Redis does).
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from "./format.ts";
import { lzfCompress } from "./lzf.ts";
import { latin1Write } from "./latin1.ts";

const MIN_CAPACITY = 64 * 1024;
/** Redis compresses strings longer than this when rdbcompression is on. */
const LZF_MIN_LENGTH = 20;

let scratchInput = Buffer.allocUnsafe(64 * 1024);
let scratchOutput = Buffer.allocUnsafe(64 * 1024);

/** Parses the canonical decimal text of an integer in int32 range; null otherwise (as Redis's string2ll + round trip). */
export function parseCanonicalInt32(text: string): number | null {
  const length = text.length;
  if (length === 0 || length > 11) return null;
  let index = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    if (length === 1) return null;
    negative = true;
    index = 1;
  }
  const first = text.charCodeAt(index);
  if (first === 48) return length === 1 ? 0 : null; // "0" only; no leading zeros, no "-0"
  let value = 0;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return null;
    value = value * 10 + code;
  }
  if (negative) value = -value;
  return value >= -2147483648 && value <= 2147483647 ? value : null;
}

/** An append-only byte buffer with RDB encodings. */
export class RdbByteWriter {
  buffer: Buffer;
  length = 0;
  private readonly compression: boolean;
  /** A buffer given back by recycle(), used by the next swap(). */
  private spare: Buffer | null = null;

  constructor(options: { compression: boolean; capacity?: number }) {
    this.compression = options.compression;
    this.buffer = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, options.capacity ?? 0));
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** Returns a copy of the bytes written so far and empties the buffer. */
  take(): Uint8Array {
    const out = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }

  /**
   * Returns the bytes written so far without copying them (a view of the current buffer) and continues in
   * a spare buffer. Hand the view back with recycle() once nothing reads it any more: its memory is then
   * written into again instead of allocating (and page-faulting in) a fresh buffer for every chunk.
   */
  swap(): Uint8Array {
    const out = this.buffer.subarray(0, this.length);
    this.buffer = this.spare ?? Buffer.allocUnsafe(this.buffer.length);
    this.spare = null;
    this.length = 0;
    return out;
  }

  /** Takes back a view returned by swap() (its buffer becomes the spare; other arrays are ignored). */
  recycle(view: Uint8Array): void {
    if (this.spare !== null || view.byteOffset !== 0 || !Buffer.isBuffer(view)) return;
    if (view.buffer === this.buffer.buffer || view.buffer.byteLength < MIN_CAPACITY) return;
    this.spare = Buffer.from(view.buffer, 0, view.buffer.byteLength);
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** data[0, length) without a subarray (short runs are copied by a loop: no native call). */
  bytesPrefix(data: Uint8Array, length: number): void {
    this.ensure(length);
    const buffer = this.buffer;
    let at = this.length;
    if (length > 64) buffer.set(data.subarray(0, length), at);
    else for (let i = 0; i < length; i++) buffer[at + i] = data[i]!;
    at += length;
    this.length = at;
  }

  /** Latin1 text as raw bytes (no length prefix). */
  latin1(text: string): void {
    this.ensure(text.length);
    this.length += latin1Write(this.buffer, text, this.length);
  }

  uint16LE(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16LE(value, this.length);
    this.length += 2;
  }

  uint32LE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.length);
    this.length += 4;
  }

  uint32BE(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value >>> 0, this.length);
    this.length += 4;
  }

  /** A signed 64-bit little-endian integer (exact for safe integers). */
  int64LE(value: number): void {
    this.ensure(8);
    this.buffer.writeBigInt64LE(BigInt(value), this.length);
    this.length += 8;
  }

  /** Unix milliseconds as Redis's EXPIRETIME_MS payload. */
  millisecondsLE(value: number): void {
    this.int64LE(value);
  }

  doubleLE(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** RDB length encoding. */
  rdbLength(value: number): void {
    if (value < 1 << 6) {
      this.byte(value);
    } else if (value < 1 << 14) {
      this.ensure(2);
      this.buffer[this.length++] = (RDB_14BITLEN << 6) | (value >>> 8);
      this.buffer[this.length++] = value & 0xff;
    } else if (value <= 0xffffffff) {
      this.byte(RDB_32BITLEN);
      this.uint32BE(value);
    } else {
      this.byte(RDB_64BITLEN);
      this.ensure(8);
      this.buffer.writeBigUInt64BE(BigInt(value), this.length);
      this.length += 8;
    }
  }

  /** A string as Redis saves it: int-encoded when canonical and small, else LZF when it pays, else raw. */
  rdbString(text: string): void {
    const length = text.length;
    if (length <= 11) {
      const integer = parseCanonicalInt32(text);
      if (integer !== null) {
        this.rdbInteger(integer);
        return;
      }
    }
    if (this.compression && length > LZF_MIN_LENGTH) {
      if (scratchInput.length < length) scratchInput = Buffer.allocUnsafe(length * 2);
      latin1Write(scratchInput, text, 0);
      if (this.tryLzf(scratchInput, length)) return;
    }
    this.rdbLength(length);
    this.latin1(text);
  }

  /** A byte blob as a string (listpacks, intsets, ziplists): LZF when it pays, else raw. */
  rdbStringBytes(data: Uint8Array): void {
    if (this.compression && data.length > LZF_MIN_LENGTH && this.tryLzf(data, data.length)) return;
    this.rdbLength(data.length);
    this.bytes(data);
  }

  /** An integer as an int-encoded string when it fits 32 bits, else as decimal text. */
  rdbIntegerString(value: number): void {
    if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) this.rdbInteger(value);
    else {
      const text = String(value);
      this.rdbLength(text.length);
      this.latin1(text);
    }
  }

  private rdbInteger(value: number): void {
    if (value >= -128 && value <= 127) {
      this.ensure(2);
      this.buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      this.buffer[this.length++] = value & 0xff;
    } else if (value >= -32768 && value <= 32767) {
      this.ensure(3);
      this.buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      this.buffer.writeInt16LE(value, this.length);
      this.length += 2;
    } else {
      this.ensure(5);
      this.buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      this.buffer.writeInt32LE(value, this.length);
      this.length += 4;
    }
  }

  // Redis stores the LZF form only when it is at least 4 bytes shorter (rdbSaveLzfStringObject).
  // data[0, length) is compressed without subarrays: a BGSAVE calls this for every string key and value.
  private tryLzf(data: Uint8Array, length: number): boolean {
    if (length <= 4) return false;
    const limit = length - 4;
    if (scratchOutput.length < limit) scratchOutput = Buffer.allocUnsafe(limit * 2);
    const compressed = lzfCompress(data, scratchOutput, length, limit);
    if (compressed === 0) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.rdbLength(compressed);
    this.rdbLength(length);
    this.bytesPrefix(scratchOutput, compressed);
    return true;
  }
}
