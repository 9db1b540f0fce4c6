// Stream entry IDs: a 64-bit millisecond time and a 64-bit sequence, both unsigned, kept as one
// 128-bit bigint (ms << 64 | seq) so that IDs compare, sort and key maps directly. Parsing follows
// Redis 7.0's streamGenericParseIDOrReply (and its string2ull / strtoull number rules).

/** A stream ID: (ms << 64n) | seq. */
export type StreamId = bigint;

export const UINT64_MAX = (1n << 64n) - 1n;
/** 0-0. */
export const MIN_ID: StreamId = 0n;
/** 18446744073709551615-18446744073709551615 ("+"). */
export const MAX_ID: StreamId = (1n << 128n) - 1n;

/** Builds an ID from its parts (each taken modulo 2^64). */
export function makeId(ms: bigint, seq: bigint): StreamId {
  return (BigInt.asUintN(64, ms) << 64n) | BigInt.asUintN(64, seq);
}

/** The millisecond part. */
export function idMs(id: StreamId): bigint {
  return id >> 64n;
}

/** The sequence part. */
export function idSeq(id: StreamId): bigint {
  return id & UINT64_MAX;
}

/** "<ms>-<seq>", as replies and the AOF spell an ID. */
export function formatId(id: StreamId): string {
  return `${id >> 64n}-${id & UINT64_MAX}`;
}

/** The next ID, or null when `id` is the largest possible one (streamIncrID's C_ERR). */
export function nextId(id: StreamId): StreamId | null {
  return id === MAX_ID ? null : id + 1n;
}

/** The previous ID, or null when `id` is 0-0 (streamDecrID's C_ERR). */
export function previousId(id: StreamId): StreamId | null {
  return id === MIN_ID ? null : id - 1n;
}

const DIGITS = /^[0-9]+$/;
const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

// C isspace for the strtoull prefix.
const isCSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/**
 * Redis's string2ull: a canonical long long that is not negative, else strtoull over the whole string
 * (leading spaces, a sign, leading zeros accepted; a '-' negates modulo 2^64); null when invalid or out of range.
 */
export function parseUnsigned64(text: string): bigint | null {
  if (CANONICAL_INT.test(text) && text.length <= 20) {
    const value = BigInt(text);
    if (value <= 9223372036854775807n && value >= -9223372036854775808n) return value < 0n ? null : value;
  }
  let index = 0;
  while (index < text.length && isCSpace(text.charCodeAt(index))) index += 1;
  let negative = false;
  if (text[index] === "+" || text[index] === "-") {
    negative = text[index] === "-";
    index += 1;
  }
  const digits = text.slice(index);
  if (!DIGITS.test(digits)) return null;
  const value = BigInt(digits);
  if (value > UINT64_MAX) return null;
  return negative ? BigInt.asUintN(64, -value) : value;
}

/** How an ID argument is read: whether "-"/"+" are refused, the seq when only ms is given, whether "<ms>-*" is allowed. */
export interface IdParseOptions {
  readonly strict: boolean;
  readonly missingSeq: bigint;
  readonly allowSeqWildcard?: boolean;
}

/** A parsed ID; seqGiven is false for the "<ms>-*" form. */
export interface ParsedId {
  readonly id: StreamId;
  readonly seqGiven: boolean;
}

/** Parses an ID argument; null when Redis would answer "Invalid stream ID specified as stream command argument". */
export function parseStreamId(text: string, options: IdParseOptions): ParsedId | null {
  if (text.length > 127) return null;
  const zero = text.indexOf("\0");
  const visible = zero === -1 ? text : text.slice(0, zero);
  if (visible === "-" || visible === "+") {
    if (options.strict) return null;
    return { id: visible === "-" ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = visible.indexOf("-");
  const ms = parseUnsigned64(dash === -1 ? visible : visible.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) return { id: makeId(ms, options.missingSeq), seqGiven: true };
  const seqText = visible.slice(dash + 1);
  if (options.allowSeqWildcard === true && seqText === "*") return { id: makeId(ms, 0n), seqGiven: false };
  const seq = parseUnsigned64(seqText);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}
