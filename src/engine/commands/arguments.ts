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

/** Parses a double as Redis's getDoubleFromObject: whole-string strtod, no leading space, ±inf allowed, NaN and overflow refused. */
export function parseFloatArg(text: string, error: string = ERRORS.notFloat): number {
  if (text === "" || isCSpace(text.charCodeAt(0))) throw new ReplyError(error);
  const value = strtod(text);
  if (value === null || Number.isNaN(value.value) || value.rangeError) throw new ReplyError(error);
  return value.value;
}

/** Parses like a bare strtod that must consume the whole string (score ranges): leading space and "" (0) accepted; null when invalid or NaN. */
export function parseLenientDouble(text: string): number | null {
  let start = 0;
  while (start < text.length && isCSpace(text.charCodeAt(start))) start += 1;
  if (start === text.length) return 0;
  const value = strtod(text.slice(start));
  if (value === null || Number.isNaN(value.value)) return null;
  return value.value;
}

const DECIMAL_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

// C strtod over a whole string: the value and whether it over/underflowed (ERANGE); null when not a number.
function strtod(text: string): { value: number; rangeError: boolean } | null {
  const special = SPECIAL_FLOAT.exec(text);
  if (special !== null) {
    const negative = special[1] === "-";
    if ((special[2] as string).toLowerCase() === "nan") return { value: NaN, rangeError: false };
    return { value: negative ? -Infinity : Infinity, rangeError: false };
  }
  if (DECIMAL_FLOAT.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) return { value, rangeError: true };
    if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ""))) return { value, rangeError: true };
    return { value, rangeError: false };
  }
  const hex = HEX_FLOAT.exec(text);
  if (hex !== null) {
    const [, sign, whole = "", fraction = "", exponent = "0"] = hex;
    if (whole === "" && fraction === "") return null;
    const mantissa = Number.parseInt(whole + fraction || "0", 16);
    const value = mantissa * 2 ** (Number(exponent) - fraction.length * 4);
    const signed = sign === "-" ? -value : value;
    return { value: signed, rangeError: !Number.isFinite(signed) };
  }
  return null;
}

function isCSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
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

/**
 * Parses an integer in [min, max] like Redis's getRangeLongFromObjectOrReply: a custom message
 * replaces both the parse error and the range error; without one the range error names the bounds.
 */
export function parseRangedInteger(text: string, min: bigint, max: bigint, message?: string): bigint {
  const value = parseBigInteger(text, message ?? ERRORS.notInteger);
  if (value < min || value > max)
    throw new ReplyError(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
  return value;
}

/** Parses a count ≥ 0 like getPositiveLongFromObjectOrReply (message used for both errors). */
export function parsePositiveCount(text: string, message = "ERR value is out of range, must be positive"): number {
  return Number(parseRangedInteger(text, 0n, 9223372036854775807n, message));
}
