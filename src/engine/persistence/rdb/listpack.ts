// Listpack blobs (listpack.c): the compact encoding Redis 7.0 uses for small hashes, sorted sets
// and list nodes. Layout: total bytes (uint32 LE), element count (uint16 LE, 65535 = unknown),
// entries, 0xFF. Entry = encoding + data + backlen (encoding+data length, 1-5 bytes of 7 bits).
import { RdbDecodeProblem } from "./errors.ts";
import { parseCanonicalInt64 } from "./integers.ts";
import { latin1Slice, latin1Write } from "./latin1.ts";

const LP_HEADER_SIZE = 6;
const LP_EOF = 0xff;
const LP_COUNT_UNKNOWN = 65535;

/** Builds a listpack from elements; canonical integers are stored as integers, as lpAppend does. */
export class ListpackBuilder {
  private buffer = Buffer.allocUnsafe(256);
  private length = LP_HEADER_SIZE;
  private count = 0;

  /** Current size in bytes including the terminator that finish() adds. */
  get sizeBytes(): number {
    return this.length + 1;
  }

  get elements(): number {
    return this.count;
  }

  /** Appends one element. */
  append(text: string): void {
    const integer = text.length <= 20 ? parseCanonicalInt64(text) : null;
    if (integer !== null) this.appendInteger(integer);
    else this.appendString(text);
    this.count += 1;
  }

  /** Returns the finished blob and resets the builder. */
  finish(): Uint8Array {
    this.ensure(1);
    this.buffer[this.length++] = LP_EOF;
    this.buffer.writeUInt32LE(this.length, 0);
    this.buffer.writeUInt16LE(this.count < LP_COUNT_UNKNOWN ? this.count : LP_COUNT_UNKNOWN, 4);
    const out = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = LP_HEADER_SIZE;
    this.count = 0;
    return out;
  }

  private ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + bytes) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  private appendInteger(value: number | bigint): void {
    this.ensure(9 + 5);
    const buffer = this.buffer;
    const start = this.length;
    let size: number;
    if (typeof value === "bigint") {
      buffer[start] = 0xf4;
      buffer.writeBigInt64LE(value, start + 1);
      size = 9;
    } else if (value >= 0 && value <= 127) {
      buffer[start] = value;
      size = 1;
    } else if (value >= -4096 && value <= 4095) {
      const bits = value < 0 ? value + 8192 : value;
      buffer[start] = 0xc0 | (bits >>> 8);
      buffer[start + 1] = bits & 0xff;
      size = 2;
    } else if (value >= -32768 && value <= 32767) {
      buffer[start] = 0xf1;
      buffer.writeInt16LE(value, start + 1);
      size = 3;
    } else if (value >= -8388608 && value <= 8388607) {
      buffer[start] = 0xf2;
      buffer.writeIntLE(value, start + 1, 3);
      size = 4;
    } else if (value >= -2147483648 && value <= 2147483647) {
      buffer[start] = 0xf3;
      buffer.writeInt32LE(value, start + 1);
      size = 5;
    } else {
      buffer[start] = 0xf4;
      buffer.writeBigInt64LE(BigInt(value), start + 1);
      size = 9;
    }
    this.length = start + size;
    this.writeBacklen(size);
  }

  private appendString(text: string): void {
    const length = text.length;
    this.ensure(length + 5 + 5);
    const buffer = this.buffer;
    const start = this.length;
    let header: number;
    if (length <= 63) {
      buffer[start] = 0x80 | length;
      header = 1;
    } else if (length <= 4095) {
      buffer[start] = 0xe0 | (length >>> 8);
      buffer[start + 1] = length & 0xff;
      header = 2;
    } else {
      buffer[start] = 0xf0;
      buffer.writeUInt32LE(length, start + 1);
      header = 5;
    }
    latin1Write(buffer, text, start + header);
    this.length = start + header + length;
    this.writeBacklen(header + length);
  }

  // lpEncodeBacklen: the entry length, most significant 7-bit group first, all but the first byte with bit 7 set.
  private writeBacklen(entryLength: number): void {
    const buffer = this.buffer;
    let position = this.length;
    if (entryLength <= 127) {
      buffer[position++] = entryLength;
    } else if (entryLength < 16383) {
      buffer[position++] = entryLength >>> 7;
      buffer[position++] = (entryLength & 127) | 128;
    } else if (entryLength < 2097151) {
      buffer[position++] = entryLength >>> 14;
      buffer[position++] = ((entryLength >>> 7) & 127) | 128;
      buffer[position++] = (entryLength & 127) | 128;
    } else if (entryLength < 268435455) {
      buffer[position++] = entryLength >>> 21;
      buffer[position++] = ((entryLength >>> 14) & 127) | 128;
      buffer[position++] = ((entryLength >>> 7) & 127) | 128;
      buffer[position++] = (entryLength & 127) | 128;
    } else {
      buffer[position++] = Math.floor(entryLength / 2 ** 28);
      buffer[position++] = ((entryLength >>> 21) & 127) | 128;
      buffer[position++] = ((entryLength >>> 14) & 127) | 128;
      buffer[position++] = ((entryLength >>> 7) & 127) | 128;
      buffer[position++] = (entryLength & 127) | 128;
    }
    this.length = position;
  }
}

/** Encodes elements as one listpack blob. */
export function encodeListpack(elements: Iterable<string>): Uint8Array {
  const builder = new ListpackBuilder();
  for (const element of elements) builder.append(element);
  return builder.finish();
}

function backlenSize(entryLength: number): number {
  if (entryLength <= 127) return 1;
  if (entryLength < 16383) return 2;
  if (entryLength < 2097151) return 3;
  if (entryLength < 268435455) return 4;
  return 5;
}

/** Decodes a listpack blob into its elements (integers as decimal text); throws RdbDecodeProblem. */
export function decodeListpack(blob: Uint8Array): string[] {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = buffer.length;
  if (size < LP_HEADER_SIZE + 1) throw new RdbDecodeProblem(`listpack of ${size} bytes is shorter than its header`);
  const total = buffer.readUInt32LE(0);
  if (total !== size) throw new RdbDecodeProblem(`listpack header says ${total} bytes but the blob has ${size}`);
  const declared = buffer.readUInt16LE(4);
  const elements: string[] = [];
  let position = LP_HEADER_SIZE;
  for (;;) {
    if (position >= size) throw new RdbDecodeProblem("listpack has no 0xFF terminator");
    const first = buffer[position]!;
    if (first === LP_EOF) break;
    let entryLength: number;
    if (first < 0x80) {
      elements.push(String(first));
      entryLength = 1;
    } else if (first < 0xc0) {
      const length = first & 0x3f;
      entryLength = 1 + length;
      if (position + entryLength > size) throw new RdbDecodeProblem("listpack string entry runs past the end");
      elements.push(latin1Slice(buffer, position + 1, position + entryLength));
    } else if (first < 0xe0) {
      if (position + 2 > size) throw new RdbDecodeProblem("listpack integer entry runs past the end");
      const bits = ((first & 0x1f) << 8) | buffer[position + 1]!;
      elements.push(String(bits >= 4096 ? bits - 8192 : bits));
      entryLength = 2;
    } else if (first < 0xf0) {
      if (position + 2 > size) throw new RdbDecodeProblem("listpack string entry runs past the end");
      const length = ((first & 0x0f) << 8) | buffer[position + 1]!;
      entryLength = 2 + length;
      if (position + entryLength > size) throw new RdbDecodeProblem("listpack string entry runs past the end");
      elements.push(latin1Slice(buffer, position + 2, position + entryLength));
    } else {
      const need =
        first === 0xf0 ? 5 : first === 0xf1 ? 3 : first === 0xf2 ? 4 : first === 0xf3 ? 5 : first === 0xf4 ? 9 : 0;
      if (need === 0) throw new RdbDecodeProblem(`listpack entry has invalid encoding byte 0x${first.toString(16)}`);
      if (position + need > size) throw new RdbDecodeProblem("listpack entry runs past the end");
      switch (first) {
        case 0xf0: {
          const length = buffer.readUInt32LE(position + 1);
          entryLength = 5 + length;
          if (position + entryLength > size) throw new RdbDecodeProblem("listpack string entry runs past the end");
          elements.push(latin1Slice(buffer, position + 5, position + entryLength));
          break;
        }
        case 0xf1:
          elements.push(String(buffer.readInt16LE(position + 1)));
          entryLength = 3;
          break;
        case 0xf2:
          elements.push(String(buffer.readIntLE(position + 1, 3)));
          entryLength = 4;
          break;
        case 0xf3:
          elements.push(String(buffer.readInt32LE(position + 1)));
          entryLength = 5;
          break;
        default:
          elements.push(String(buffer.readBigInt64LE(position + 1)));
          entryLength = 9;
      }
    }
    const backlen = backlenSize(entryLength);
    if (position + entryLength + backlen > size) throw new RdbDecodeProblem("listpack entry backlen runs past the end");
    if (
      (buffer[position + entryLength]! & 0x7f) !==
      (backlen === 1 ? entryLength : entryLength >>> (7 * (backlen - 1))) % 128
    ) {
      throw new RdbDecodeProblem(
        `listpack entry ${elements.length - 1} has a backlen that does not match its length ${entryLength}`,
      );
    }
    position += entryLength + backlen;
  }
  if (position !== size - 1)
    throw new RdbDecodeProblem(`listpack terminator at byte ${position}, expected at ${size - 1}`);
  if (declared !== LP_COUNT_UNKNOWN && declared !== elements.length) {
    throw new RdbDecodeProblem(`listpack header says ${declared} elements but it holds ${elements.length}`);
  }
  return elements;
}
