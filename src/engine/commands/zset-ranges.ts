// Score, lex and rank ranges over sorted sets: parsing (Redis's zslParseRange/zslParseLexRange)
// and mapping a range to ascending rank bounds.
import { ReplyError } from "../errors.ts";
import { parseLenientDouble } from "./arguments.ts";
import type { ZSetValue } from "../keyspace/values.ts";

/** A score interval; exclusive ends are written "(x". */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** A lex interval: "-" and "+" are the infinities, "[x" inclusive, "(x" exclusive. */
export interface LexRange {
  readonly min: string | "-inf" | "+inf";
  readonly max: string | "-inf" | "+inf";
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
  /** Whether min / max is an infinity (the strings above are then markers only). */
  readonly minInfinite: -1 | 0 | 1;
  readonly maxInfinite: -1 | 0 | 1;
}

function parseScoreBound(text: string): { value: number; exclusive: boolean } | null {
  const exclusive = text.startsWith("(");
  const value = parseLenientDouble(exclusive ? text.slice(1) : text);
  return value === null ? null : { value, exclusive };
}

/** Parses min/max score bounds; throws "min or max is not a float". */
export function parseScoreRange(minText: string, maxText: string): ScoreRange {
  const min = parseScoreBound(minText);
  const max = parseScoreBound(maxText);
  if (min === null || max === null) throw new ReplyError("ERR min or max is not a float");
  return { min: min.value, max: max.value, minExclusive: min.exclusive, maxExclusive: max.exclusive };
}

function parseLexBound(text: string): { value: string; exclusive: boolean; infinite: -1 | 0 | 1 } | null {
  if (text === "+") return { value: "", exclusive: false, infinite: 1 };
  if (text === "-") return { value: "", exclusive: false, infinite: -1 };
  if (text.startsWith("(")) return { value: text.slice(1), exclusive: true, infinite: 0 };
  if (text.startsWith("[")) return { value: text.slice(1), exclusive: false, infinite: 0 };
  return null;
}

/** Parses min/max lex bounds; throws "min or max not valid string range item". */
export function parseLexRange(minText: string, maxText: string): LexRange {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  if (min === null || max === null) throw new ReplyError("ERR min or max not valid string range item");
  return {
    min: min.value,
    max: max.value,
    minExclusive: min.exclusive,
    maxExclusive: max.exclusive,
    minInfinite: min.infinite,
    maxInfinite: max.infinite,
  };
}

/** Ascending rank bounds [first, last] of the entries whose score is in range, or null when none. */
export function scoreRangeRanks(zset: ZSetValue, range: ScoreRange): [number, number] | null {
  if (range.min > range.max || (range.min === range.max && (range.minExclusive || range.maxExclusive))) return null;
  const entries = zset.entries();
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const score = (entries[middle] as { score: number }).score;
    if (range.minExclusive ? score <= range.min : score < range.min) low = middle + 1;
    else high = middle;
  }
  const first = low;
  high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const score = (entries[middle] as { score: number }).score;
    if (range.maxExclusive ? score < range.max : score <= range.max) low = middle + 1;
    else high = middle;
  }
  const last = low - 1;
  return first <= last ? [first, last] : null;
}

function gteMin(member: string, range: LexRange): boolean {
  if (range.minInfinite !== 0) return range.minInfinite < 0;
  return range.minExclusive ? member > range.min : member >= range.min;
}

function lteMax(member: string, range: LexRange): boolean {
  if (range.maxInfinite !== 0) return range.maxInfinite > 0;
  return range.maxExclusive ? member < range.max : member <= range.max;
}

function isEmptyLexRange(range: LexRange): boolean {
  if (range.minInfinite === 1 || range.maxInfinite === -1) return true;
  if (range.minInfinite === -1 || range.maxInfinite === 1) return false;
  return range.min > range.max || (range.min === range.max && (range.minExclusive || range.maxExclusive));
}

/** Ascending rank bounds of the members in a lex range (meaningful when all scores are equal). */
export function lexRangeRanks(zset: ZSetValue, range: LexRange): [number, number] | null {
  if (isEmptyLexRange(range)) return null;
  const entries = zset.entries();
  let first = 0;
  while (first < entries.length && !gteMin((entries[first] as { member: string }).member, range)) first += 1;
  if (first >= entries.length || !lteMax((entries[first] as { member: string }).member, range)) return null;
  let last = first;
  while (last + 1 < entries.length && lteMax((entries[last + 1] as { member: string }).member, range)) last += 1;
  return [first, last];
}

/** Redis's rank sanitising (negative from the end); null when the range is empty. */
export function rankRange(start: number, end: number, length: number): [number, number] | null {
  let from = start < 0 ? length + start : start;
  let to = end < 0 ? length + end : end;
  if (from < 0) from = 0;
  if (from > to || from >= length) return null;
  if (to >= length) to = length - 1;
  return [from, to];
}
