// Intset blobs (intset.c): a sorted array of unique integers, all of one width. Layout: encoding
// (uint32 LE: 2, 4 or 8 bytes per element), count (uint32 LE), values (signed, little-endian).
import { RdbDecodeProblem } from "./errors.ts";
import { compareInt64, parseCanonicalInt64 } from "./integers.ts";

/** Members as int64 values when every one is canonical integer text, else null. */
export function toIntsetValues(members: Iterable<string>): (number | bigint)[] | null {
  const values: (number | bigint)[] = [];
  for (const member of members) {
    const value = parseCanonicalInt64(member);
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

/** Encodes integer values (unique) as an intset blob. */
export function encodeIntset(values: (number | bigint)[]): Uint8Array {
  values.sort(compareInt64);
  let width = 2;
  for (const value of values) {
    if (typeof value === "bigint" || value < -2147483648 || value > 2147483647) {
      width = 8;
      break;
    }
    if (value < -32768 || value > 32767) width = 4;
  }
  const out = Buffer.allocUnsafe(8 + width * values.length);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(values.length, 4);
  let position = 8;
  for (const value of values) {
    if (width === 2) out.writeInt16LE(value as number, position);
    else if (width === 4) out.writeInt32LE(value as number, position);
    else out.writeBigInt64LE(BigInt(value), position);
    position += width;
  }
  return out;
}

/** Decodes an intset blob into member strings; throws RdbDecodeProblem. */
export function decodeIntset(blob: Uint8Array): string[] {
  const buffer = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buffer.length < 8) throw new RdbDecodeProblem(`intset of ${buffer.length} bytes is shorter than its header`);
  const width = buffer.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbDecodeProblem(`intset has invalid encoding ${width}`);
  const count = buffer.readUInt32LE(4);
  if (8 + count * width !== buffer.length) {
    throw new RdbDecodeProblem(
      `intset header says ${count} elements of ${width} bytes but the blob has ${buffer.length} bytes`,
    );
  }
  if (count === 0) throw new RdbDecodeProblem("intset is empty");
  const members: string[] = new Array<string>(count);
  let previous: bigint | number | null = null;
  for (let index = 0; index < count; index += 1) {
    const position = 8 + index * width;
    const value: number | bigint =
      width === 2
        ? buffer.readInt16LE(position)
        : width === 4
          ? buffer.readInt32LE(position)
          : buffer.readBigInt64LE(position);
    if (previous !== null && compareInt64(previous, value) >= 0)
      throw new RdbDecodeProblem(`intset is not sorted and unique at element ${index}`);
    previous = value;
    members[index] = String(value);
  }
  return members;
}
