// Ziplist blobs (ziplist.c), the small-collection encoding of RDB files written before Redis 7.0
// (types 10, 12, 13 and the nodes of 14). Redis 7.0 reads them; it no longer writes them.
// Layout: zlbytes (uint32 LE), zltail (uint32 LE), zllen (uint16 LE, 65535 = unknown), entries, 0xFF.
// Entry = prevlen (1 byte, or 0xFE + uint32 LE) + encoding + data.
import { RdbDecodeProblem } from "./errors.ts";
import { parseCanonicalInt64 } from "./integers.ts";
import { latin1Slice } from "./latin1.ts";

const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 0xfe;

/** Decodes a ziplist blob into its elements (integers as decimal text); throws RdbDecodeProblem. */
export function decodeZiplist(blob: Uint8Array): string[] {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = buffer.length;
  if (size < 11) throw new RdbDecodeProblem(`ziplist of ${size} bytes is shorter than its header`);
  const total = buffer.readUInt32LE(0);
  if (total !== size) throw new RdbDecodeProblem(`ziplist header says ${total} bytes but the blob has ${size}`);
  const tail = buffer.readUInt32LE(4);
  const declared = buffer.readUInt16LE(8);
  const elements: string[] = [];
  let position = 10;
  let previousLength = 0;
  let lastEntry = 10;
  for (;;) {
    if (position >= size) throw new RdbDecodeProblem("ziplist has no 0xFF terminator");
    if (buffer[position] === ZIP_END) break;
    const start = position;
    let prevlen = buffer[position]!;
    if (prevlen === ZIP_BIG_PREVLEN) {
      if (position + 5 > size) throw new RdbDecodeProblem("ziplist prevlen runs past the end");
      prevlen = buffer.readUInt32LE(position + 1);
      position += 5;
    } else position += 1;
    if (prevlen !== previousLength)
      throw new RdbDecodeProblem(`ziplist entry ${elements.length} has prevlen ${prevlen}, expected ${previousLength}`);
    if (position >= size) throw new RdbDecodeProblem("ziplist entry runs past the end");
    const encoding = buffer[position]!;
    const kind = encoding >>> 6;
    let dataStart: number;
    let dataLength: number;
    let text: string | null = null;
    if (kind === 0) {
      dataStart = position + 1;
      dataLength = encoding & 0x3f;
    } else if (kind === 1) {
      if (position + 2 > size) throw new RdbDecodeProblem("ziplist entry header runs past the end");
      dataStart = position + 2;
      dataLength = ((encoding & 0x3f) << 8) | buffer[position + 1]!;
    } else if (kind === 2) {
      if (position + 5 > size) throw new RdbDecodeProblem("ziplist entry header runs past the end");
      dataStart = position + 5;
      dataLength = buffer.readUInt32BE(position + 1);
    } else {
      dataStart = position + 1;
      const widths: Record<number, number> = { 0xc0: 2, 0xd0: 4, 0xe0: 8, 0xf0: 3, 0xfe: 1 };
      const width = widths[encoding];
      if (width !== undefined) {
        if (dataStart + width > size) throw new RdbDecodeProblem("ziplist integer runs past the end");
        text =
          width === 1
            ? String(buffer.readInt8(dataStart))
            : width === 2
              ? String(buffer.readInt16LE(dataStart))
              : width === 3
                ? String(buffer.readIntLE(dataStart, 3))
                : width === 4
                  ? String(buffer.readInt32LE(dataStart))
                  : String(buffer.readBigInt64LE(dataStart));
        dataLength = width;
      } else if (encoding >= 0xf1 && encoding <= 0xfd) {
        text = String((encoding & 0x0f) - 1);
        dataLength = 0;
      } else throw new RdbDecodeProblem(`ziplist entry has invalid encoding byte 0x${encoding.toString(16)}`);
    }
    if (dataStart + dataLength > size) throw new RdbDecodeProblem("ziplist entry runs past the end");
    elements.push(text ?? latin1Slice(buffer, dataStart, dataStart + dataLength));
    lastEntry = start;
    position = dataStart + dataLength;
    previousLength = position - start;
  }
  if (position !== size - 1)
    throw new RdbDecodeProblem(`ziplist terminator at byte ${position}, expected at ${size - 1}`);
  if (elements.length > 0 && tail !== lastEntry)
    throw new RdbDecodeProblem(`ziplist tail offset ${tail} does not point at the last entry (${lastEntry})`);
  if (declared !== 65535 && declared !== elements.length) {
    throw new RdbDecodeProblem(`ziplist header says ${declared} elements but it holds ${elements.length}`);
  }
  return elements;
}

/** Encodes elements as a ziplist blob (to produce files in the format of older Redis versions). */
export function encodeZiplist(elements: readonly string[]): Uint8Array {
  const parts: Buffer[] = [];
  let previousLength = 0;
  let tail = 10;
  let offset = 10;
  for (const element of elements) {
    const prevlen =
      previousLength < 254
        ? Buffer.from([previousLength])
        : Buffer.concat([Buffer.from([ZIP_BIG_PREVLEN]), u32le(previousLength)]);
    const integer = parseCanonicalInt64(element);
    let body: Buffer;
    if (integer !== null) {
      const value = BigInt(integer);
      if (value >= 0n && value <= 12n) body = Buffer.from([0xf1 + Number(value)]);
      else if (value >= -128n && value <= 127n) body = Buffer.from([0xfe, Number(value) & 0xff]);
      else if (value >= -32768n && value <= 32767n) body = withInt(0xc0, 2, value);
      else if (value >= -8388608n && value <= 8388607n) body = withInt(0xf0, 3, value);
      else if (value >= -2147483648n && value <= 2147483647n) body = withInt(0xd0, 4, value);
      else body = withInt(0xe0, 8, value);
    } else {
      const data = Buffer.from(element, "latin1");
      let header: Buffer;
      if (data.length <= 63) header = Buffer.from([data.length]);
      else if (data.length <= 16383) header = Buffer.from([0x40 | (data.length >>> 8), data.length & 0xff]);
      else {
        header = Buffer.alloc(5);
        header[0] = 0x80;
        header.writeUInt32BE(data.length, 1);
      }
      body = Buffer.concat([header, data]);
    }
    const entry = Buffer.concat([prevlen, body]);
    tail = offset;
    offset += entry.length;
    previousLength = entry.length;
    parts.push(entry);
  }
  const header = Buffer.alloc(10);
  const total = offset + 1;
  header.writeUInt32LE(total, 0);
  header.writeUInt32LE(elements.length === 0 ? 10 : tail, 4);
  header.writeUInt16LE(Math.min(elements.length, 65535), 8);
  return Buffer.concat([header, ...parts, Buffer.from([ZIP_END])]);
}

function u32le(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
}

function withInt(encoding: number, width: number, value: bigint): Buffer {
  const out = Buffer.alloc(1 + width);
  out[0] = encoding;
  if (width === 8) out.writeBigInt64LE(value, 1);
  else out.writeIntLE(Number(value), 1, width);
  return out;
}
