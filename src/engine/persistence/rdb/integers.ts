// Canonical integer text (what Redis's string2ll accepts and ll2string prints back unchanged):
// the test that decides whether listpacks, intsets and ziplists store a value as an integer.

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** The int64 value of canonical decimal text (no sign but '-', no leading zeros, no "-0"), else null. */
export function parseCanonicalInt64(text: string): number | bigint | null {
  const length = text.length;
  if (length === 0 || length > 20) return null;
  let index = 0;
  if (text.charCodeAt(0) === 45) {
    if (length === 1) return null;
    index = 1;
  }
  const first = text.charCodeAt(index);
  if (first === 48) return length === 1 ? 0 : null;
  for (; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return null;
  }
  if (length <= 15) return Number(text);
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** Compares two int64 values given as number or bigint. */
export function compareInt64(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
