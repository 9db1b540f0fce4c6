// One HyperLogLog string, edited as bytes exactly the way Redis 7.0 edits it, so the same PFADDs
// leave byte-identical strings on both servers: new values are sparse (ZERO 00xxxxxx, XZERO
// 01xxxxxx xxxxxxxx, VAL 1vvvvvxx opcodes), a register update splits the opcode covering it and then
// merges equal adjacent VALs (up to five opcodes from the previous one), and the value turns dense
// when a count above 32 comes or the sparse string would pass hll-sparse-max-bytes.
import {
  HLL_CARD_OFFSET,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_ENCODING_OFFSET,
  HLL_HEADER_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  denseHistogram,
  estimateFromHistogram,
  getDenseRegister,
  setDenseRegister,
} from "./hll-dense.ts";
import { latin1Slice, latin1Write } from "../persistence/rdb/latin1.ts";

const VAL_MAX_VALUE = 32;
const VAL_MAX_LENGTH = 4;
const ZERO_MAX_LENGTH = 64;
const XZERO_MAX_LENGTH = 16384;

const isZero = (byte: number): boolean => (byte & 0xc0) === 0;
const isXZero = (byte: number): boolean => (byte & 0xc0) === 0x40;
const isVal = (byte: number): boolean => (byte & 0x80) !== 0;
const zeroLength = (byte: number): number => (byte & 0x3f) + 1;
const xzeroLength = (byte: number, next: number): number => (((byte & 0x3f) << 8) | next) + 1;
const valValue = (byte: number): number => ((byte >> 2) & 0x1f) + 1;
const valLength = (byte: number): number => (byte & 0x3) + 1;
const valOpcode = (value: number, length: number): number => 0x80 | ((value - 1) << 2) | (length - 1);

/** Whether `text` passes Redis's isHLLObjectOrReply checks (magic, encoding, dense length). */
export function isHllString(text: string): boolean {
  if (text.length < HLL_HEADER_SIZE || !text.startsWith("HYLL")) return false;
  const encoding = text.charCodeAt(HLL_ENCODING_OFFSET);
  if (encoding > HLL_SPARSE) return false;
  return encoding !== HLL_DENSE || text.length === HLL_DENSE_SIZE;
}

/** A HyperLogLog value being read or edited. */
export class HllValue {
  /** The value's bytes; one spare zero byte past `length` at least (Redis relies on sds's NUL). */
  private bytes: Uint8Array;
  private size: number;
  /** hll-sparse-max-bytes: a sparse value that would grow past it turns dense. */
  sparseMaxBytes = 3000;

  private constructor(bytes: Uint8Array, size: number) {
    this.bytes = bytes;
    this.size = size;
  }

  /** An empty HLL as Redis creates it: sparse, one XZERO opcode covering all registers. */
  static create(): HllValue {
    const bytes = new Uint8Array(64);
    bytes.set([0x48, 0x59, 0x4c, 0x4c, HLL_SPARSE]);
    let position = HLL_HEADER_SIZE;
    for (let left = HLL_REGISTERS; left > 0; left -= XZERO_MAX_LENGTH) {
      const run = Math.min(left, XZERO_MAX_LENGTH) - 1;
      bytes[position++] = 0x40 | (run >> 8);
      bytes[position++] = run & 0xff;
    }
    return new HllValue(bytes, position);
  }

  /** The value stored in a string (already checked with isHllString). */
  static fromString(text: string): HllValue {
    const bytes = new Uint8Array(Math.max(text.length + 8, 64));
    latin1Write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), text, 0);
    return new HllValue(bytes, text.length);
  }

  /** The value as a latin1 string. */
  toString(): string {
    return latin1Slice(Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length), 0, this.size);
  }

  get encoding(): number {
    return this.bytes[HLL_ENCODING_OFFSET] as number;
  }

  /** Marks the cached cardinality stale (top bit of its last byte). */
  invalidateCache(): void {
    this.bytes[HLL_CARD_OFFSET + 7] = (this.bytes[HLL_CARD_OFFSET + 7] as number) | 0x80;
  }

  /** The cached cardinality, or null when stale. */
  cachedCardinality(): bigint | null {
    if (((this.bytes[HLL_CARD_OFFSET + 7] as number) & 0x80) !== 0) return null;
    let value = 0n;
    for (let index = 7; index >= 0; index -= 1)
      value = (value << 8n) | BigInt(this.bytes[HLL_CARD_OFFSET + index] as number);
    return value;
  }

  /** Stores a cardinality in the header cache (little endian). */
  setCachedCardinality(cardinality: number): void {
    let value = cardinality;
    for (let index = 0; index < 8; index += 1) {
      this.bytes[HLL_CARD_OFFSET + index] = value % 256;
      value = Math.floor(value / 256);
    }
  }

  /** Raises register `index` to `count` if lower: 1 when it changed, 0 when not, -1 when the value is corrupt. */
  set(index: number, count: number): number {
    if (this.encoding === HLL_DENSE) return this.denseSet(index, count);
    return this.sparseSet(index, count);
  }

  /** Converts a sparse value to dense; false when the sparse opcodes are corrupt. */
  toDense(): boolean {
    if (this.encoding === HLL_DENSE) return true;
    const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
    dense.set(this.bytes.subarray(0, HLL_HEADER_SIZE));
    dense[HLL_ENCODING_OFFSET] = HLL_DENSE;
    let register = 0;
    let position = HLL_HEADER_SIZE;
    while (position < this.size) {
      const byte = this.bytes[position] as number;
      if (isZero(byte) || isXZero(byte)) {
        const run = isZero(byte) ? zeroLength(byte) : xzeroLength(byte, this.bytes[position + 1] as number);
        if (register + run > HLL_REGISTERS) return false;
        register += run;
        position += isZero(byte) ? 1 : 2;
      } else {
        const run = valLength(byte);
        const value = valValue(byte);
        if (register + run > HLL_REGISTERS) return false;
        for (let left = run; left > 0; left -= 1) setDenseRegister(dense, HLL_HEADER_SIZE, register++, value);
        position += 1;
      }
    }
    if (register !== HLL_REGISTERS) return false;
    this.bytes = dense;
    this.size = HLL_DENSE_SIZE;
    return true;
  }

  /** The registers' histogram (64 slots); null when sparse opcodes are corrupt. */
  histogram(): Int32Array | null {
    const histogram = new Int32Array(64);
    if (this.encoding === HLL_DENSE) {
      denseHistogram(this.bytes, HLL_HEADER_SIZE, histogram);
      return histogram;
    }
    const valid = this.walkSparse((register, run, value) => {
      histogram[value] = (histogram[value] as number) + run;
    });
    return valid ? histogram : null;
  }

  /** The estimated cardinality; null when sparse opcodes are corrupt. */
  count(): number | null {
    const histogram = this.histogram();
    return histogram === null ? null : estimateFromHistogram(histogram);
  }

  /** max[i] = max(max[i], register i); false when sparse opcodes are corrupt. */
  mergeInto(max: Uint8Array): boolean {
    if (this.encoding === HLL_DENSE) {
      for (let index = 0; index < HLL_REGISTERS; index += 1) {
        const value = getDenseRegister(this.bytes, HLL_HEADER_SIZE, index);
        if (value > (max[index] as number)) max[index] = value;
      }
      return true;
    }
    return this.walkSparse((register, run, value) => {
      if (value === 0) return;
      for (let index = register; index < register + run; index += 1)
        if (value > (max[index] as number)) max[index] = value;
    });
  }

  /** Register values of a dense value, in order. */
  registers(): number[] {
    const out: number[] = [];
    for (let index = 0; index < HLL_REGISTERS; index += 1)
      out.push(getDenseRegister(this.bytes, HLL_HEADER_SIZE, index));
    return out;
  }

  /** PFDEBUG DECODE's text of a sparse value: "z:N", "Z:N" and "v:value,length" joined by spaces. */
  decode(): string {
    const parts: string[] = [];
    let position = HLL_HEADER_SIZE;
    while (position < this.size) {
      const byte = this.bytes[position] as number;
      if (isZero(byte)) {
        parts.push(`z:${zeroLength(byte)}`);
        position += 1;
      } else if (isXZero(byte)) {
        parts.push(`Z:${xzeroLength(byte, position + 1 < this.size ? (this.bytes[position + 1] as number) : 0)}`);
        position += 2;
      } else {
        parts.push(`v:${valValue(byte)},${valLength(byte)}`);
        position += 1;
      }
    }
    return parts.join(" ");
  }

  // Calls visit(firstRegister, run, value) per opcode; false when the runs overflow or fall short.
  private walkSparse(visit: (register: number, run: number, value: number) => void): boolean {
    let register = 0;
    let position = HLL_HEADER_SIZE;
    while (position < this.size) {
      const byte = this.bytes[position] as number;
      let run: number;
      let value = 0;
      if (isZero(byte)) {
        run = zeroLength(byte);
        position += 1;
      } else if (isXZero(byte)) {
        run = xzeroLength(byte, position + 1 < this.size ? (this.bytes[position + 1] as number) : 0);
        position += 2;
      } else {
        run = valLength(byte);
        value = valValue(byte);
        position += 1;
      }
      if (register + run > HLL_REGISTERS) return false;
      visit(register, run, value);
      register += run;
    }
    return register === HLL_REGISTERS;
  }

  private denseSet(index: number, count: number): number {
    if (getDenseRegister(this.bytes, HLL_HEADER_SIZE, index) >= count) return 0;
    setDenseRegister(this.bytes, HLL_HEADER_SIZE, index, count);
    return 1;
  }

  // Redis's hllSparseSet: update in place, promoting to dense when needed.
  private sparseSet(index: number, count: number): number {
    if (count > VAL_MAX_VALUE) return this.promoteAndSet(index, count);
    this.reserve(3);
    const bytes = this.bytes;
    let end = this.size;
    let position = HLL_HEADER_SIZE;
    let first = 0;
    let previous = -1;
    let span = 0;
    while (position < end) {
      const byte = bytes[position] as number;
      let opcodeLength = 1;
      if (isZero(byte)) span = zeroLength(byte);
      else if (isVal(byte)) span = valLength(byte);
      else {
        span = xzeroLength(byte, bytes[position + 1] as number);
        opcodeLength = 2;
      }
      if (index <= first + span - 1) break;
      previous = position;
      position += opcodeLength;
      first += span;
    }
    if (span === 0 || position >= end) return -1;
    const current = bytes[position] as number;
    const next = isXZero(current) ? position + 2 : position + 1;
    const hasNext = next < end;
    const zero = isZero(current);
    const xzero = isXZero(current);
    const runLength = zero
      ? zeroLength(current)
      : xzero
        ? xzeroLength(current, bytes[position + 1] as number)
        : valLength(current);

    let updatedInPlace = false;
    if (!zero && !xzero) {
      if (valValue(current) >= count) return 0;
      if (runLength === 1) {
        bytes[position] = valOpcode(count, 1);
        updatedInPlace = true;
      }
    }
    if (!updatedInPlace && zero && runLength === 1) {
      bytes[position] = valOpcode(count, 1);
      updatedInPlace = true;
    }
    if (!updatedInPlace) {
      // Split the opcode into up to three: before, the new VAL, after.
      const sequence: number[] = [];
      const last = first + span - 1;
      const pushZeros = (length: number): void => {
        if (length > ZERO_MAX_LENGTH) sequence.push(0x40 | ((length - 1) >> 8), (length - 1) & 0xff);
        else sequence.push(length - 1);
      };
      if (zero || xzero) {
        if (index !== first) pushZeros(index - first);
        sequence.push(valOpcode(count, 1));
        if (index !== last) pushZeros(last - index);
      } else {
        const value = valValue(current);
        if (index !== first) sequence.push(valOpcode(value, index - first));
        sequence.push(valOpcode(count, 1));
        if (index !== last) sequence.push(valOpcode(value, last - index));
      }
      const delta = sequence.length - (xzero ? 2 : 1);
      if (delta > 0 && this.size + delta > this.sparseMaxBytes) return this.promoteAndSet(index, count);
      if (delta !== 0 && hasNext) bytes.copyWithin(next + delta, next, end);
      this.size += delta;
      end += delta;
      bytes.set(sequence, position);
      bytes[end] = 0;
    }
    this.mergeAdjacentValues(previous === -1 ? HLL_HEADER_SIZE : previous);
    this.invalidateCache();
    return 1;
  }

  // Step 4 of hllSparseSet: merge equal adjacent VAL opcodes, scanning up to five opcodes.
  private mergeAdjacentValues(start: number): void {
    const bytes = this.bytes;
    let position = start;
    let scan = 5;
    while (position < this.size && scan-- > 0) {
      const byte = bytes[position] as number;
      if (isXZero(byte)) {
        position += 2;
        continue;
      }
      if (isZero(byte)) {
        position += 1;
        continue;
      }
      const following = bytes[position + 1] as number;
      if (position + 1 < this.size && isVal(following) && valValue(byte) === valValue(following)) {
        const length = valLength(byte) + valLength(following);
        if (length <= VAL_MAX_LENGTH) {
          bytes[position + 1] = valOpcode(valValue(byte), length);
          bytes.copyWithin(position, position + 1, this.size + 1);
          this.size -= 1;
          continue;
        }
      }
      position += 1;
    }
  }

  private promoteAndSet(index: number, count: number): number {
    if (!this.toDense()) return -1;
    return this.denseSet(index, count);
  }

  // Room for `extra` more bytes plus the spare zero byte.
  private reserve(extra: number): void {
    if (this.size + extra + 1 <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.size + extra + 1));
    grown.set(this.bytes.subarray(0, this.size));
    this.bytes = grown;
  }
}
