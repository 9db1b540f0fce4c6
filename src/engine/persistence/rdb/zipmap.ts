// Zipmap blobs (zipmap.c), the small-hash encoding of RDB files from Redis before 2.6 (type 9).
// Layout: count byte, then per pair: key length, key, value length, free byte, value, free bytes;
// 0xFF ends. Lengths are one byte, or 0xFE followed by a uint32 LE.
import { RdbDecodeProblem } from "./errors.ts";
import { latin1Slice } from "./latin1.ts";

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/** Decodes a zipmap blob into [field, value] pairs; throws RdbDecodeProblem. */
export function decodeZipmap(blob: Uint8Array): [string, string][] {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const size = buffer.length;
  const pairs: [string, string][] = [];
  let position = 1;
  const readLength = (): number => {
    if (position >= size) throw new RdbDecodeProblem("zipmap runs past the end");
    const first = buffer[position]!;
    if (first < ZIPMAP_BIGLEN) {
      position += 1;
      return first;
    }
    if (first === ZIPMAP_BIGLEN && position + 5 <= size) {
      const length = buffer.readUInt32LE(position + 1);
      position += 5;
      return length;
    }
    throw new RdbDecodeProblem("zipmap has an invalid length");
  };
  if (size < 2) throw new RdbDecodeProblem("zipmap is shorter than its header");
  for (;;) {
    if (position >= size) throw new RdbDecodeProblem("zipmap has no 0xFF terminator");
    if (buffer[position] === ZIPMAP_END) break;
    const keyLength = readLength();
    if (position + keyLength > size) throw new RdbDecodeProblem("zipmap key runs past the end");
    const key = latin1Slice(buffer, position, position + keyLength);
    position += keyLength;
    const valueLength = readLength();
    if (position >= size) throw new RdbDecodeProblem("zipmap value runs past the end");
    const free = buffer[position]!;
    position += 1;
    if (position + valueLength + free > size) throw new RdbDecodeProblem("zipmap value runs past the end");
    pairs.push([key, latin1Slice(buffer, position, position + valueLength)]);
    position += valueLength + free;
  }
  if (position !== size - 1) throw new RdbDecodeProblem("zipmap has bytes after its terminator");
  return pairs;
}

/** Encodes pairs as a zipmap blob (to produce files in the format of old Redis versions). */
export function encodeZipmap(pairs: readonly (readonly [string, string])[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([Math.min(pairs.length, 254)])];
  const length = (value: number): Buffer => {
    if (value < ZIPMAP_BIGLEN) return Buffer.from([value]);
    const out = Buffer.alloc(5);
    out[0] = ZIPMAP_BIGLEN;
    out.writeUInt32LE(value, 1);
    return out;
  };
  for (const [key, value] of pairs) {
    const keyBytes = Buffer.from(key, "latin1");
    const valueBytes = Buffer.from(value, "latin1");
    parts.push(length(keyBytes.length), keyBytes, length(valueBytes.length), Buffer.from([0]), valueBytes);
  }
  parts.push(Buffer.from([ZIPMAP_END]));
  return Buffer.concat(parts);
}
