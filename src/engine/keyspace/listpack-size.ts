// Byte sizes of listpack elements (listpack.c's encodings), without building the listpack: streams
// keep their nodes as objects but must split them where Redis would (stream-node-max-bytes counts
// the node's listpack bytes), so each element's encoded size is computed here.

/** Encoded size of an integer element plus its backlen. */
export function integerElementBytes(value: number | bigint): number {
  let size: number;
  if (typeof value === "bigint") {
    if (value >= -2147483648n && value <= 2147483647n) return integerElementBytes(Number(value));
    size = 9;
  } else if (value >= 0 && value <= 127) size = 1;
  else if (value >= -4096 && value <= 4095) size = 2;
  else if (value >= -32768 && value <= 32767) size = 3;
  else if (value >= -8388608 && value <= 8388607) size = 4;
  else if (value >= -2147483648 && value <= 2147483647) size = 5;
  else size = 9;
  return size + backlenBytes(size);
}

const CANONICAL = /^(0|-?[1-9][0-9]{0,19})$/;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** The integer a listpack stores a string as (lpStringToInt64), or null when it stays a string. */
export function listpackInteger(text: string): number | bigint | null {
  if (text.length === 0 || text.length > 20 || !CANONICAL.test(text)) return null;
  if (text.length <= 15) return Number(text);
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** Encoded size of a string element (stored as an integer when it is one) plus its backlen. */
export function stringElementBytes(text: string): number {
  const length = text.length;
  if (length <= 20) {
    const integer = listpackInteger(text);
    if (integer !== null) return integerElementBytes(integer);
  }
  const size = length <= 63 ? 1 + length : length <= 4095 ? 2 + length : 5 + length;
  return size + backlenBytes(size);
}

/** Bytes of the backlen that follows an entry of `entryLength` bytes. */
export function backlenBytes(entryLength: number): number {
  if (entryLength <= 127) return 1;
  if (entryLength < 16383) return 2;
  if (entryLength < 2097151) return 3;
  if (entryLength < 268435455) return 4;
  return 5;
}

/** Header (total bytes + element count) and terminator of every listpack. */
export const LISTPACK_OVERHEAD_BYTES = 7;
