// Argument parsing helpers shared by command handlers: integers, floats, ranges, options.
import { ERRORS, ReplyError } from "../errors.ts";

const INTEGER_PATTERN = /^-?(0|[1-9]\d*)$/;

/** Parses a 64-bit signed integer as Redis does (string2ll); throws "not an integer" otherwise. */
export function parseInteger(text: string, error: string = ERRORS.notInteger): number {
  if (!INTEGER_PATTERN.test(text) || text === "-0") throw new ReplyError(error);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) throw new ReplyError(error);
  }
  return value;
}

/** Parses a 64-bit integer exactly as a bigint (INCRBY range checks). */
export function parseBigInteger(text: string, error: string = ERRORS.notInteger): bigint {
  if (!INTEGER_PATTERN.test(text) || text === "-0") throw new ReplyError(error);
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw new ReplyError(error);
  return value;
}

/** Parses a double as Redis's strtold-based parsing: inf/-inf/+inf accepted, NaN refused. */
export function parseFloatArg(text: string, error: string = ERRORS.notFloat): number {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf" || lower === "infinity" || lower === "+infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (text === "" || /\s/.test(text) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new ReplyError(error);
  const value = Number(text);
  if (Number.isNaN(value)) throw new ReplyError(error);
  return value;
}

/** Normalises a Redis range (negative indexes from the end) to [start, end] inclusive, or null if empty. */
export function normaliseRange(start: number, end: number, length: number): [number, number] | null {
  let from = start < 0 ? length + start : start;
  let to = end < 0 ? length + end : end;
  if (from < 0) from = 0;
  if (to >= length) to = length - 1;
  if (from > to || from >= length) return null;
  return [from, to];
}

/** Case-insensitive equality with an uppercase keyword. */
export function isKeyword(text: string | undefined, keyword: string): boolean {
  return text !== undefined && text.length === keyword.length && text.toUpperCase() === keyword;
}
