// SORT and SORT_RO (Redis 7.0's sort.c): sorts a list, set or sorted set numerically or ALPHA,
// BY a key pattern ("weight_*", "obj_*->field", or a constant for no sorting), with LIMIT, ASC/DESC,
// GET patterns ("#" is the element itself) and STORE into a list. SORT ... STORE propagates as
// sent: on replay it reads the same keys and stores the same list.
import { ERRORS, ReplyError } from "../errors.ts";
import { markConverted } from "../keyspace/encoding.ts";
import { ListValue, ZSetValue, type StoredValue } from "../keyspace/values.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseFloatArg, parseInteger } from "./arguments.ts";
import { countLookup, markDirty } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** Parsed SORT options. */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  by: string | null;
  /** BY without '*': keep the native order. */
  dontSort: boolean;
  readonly gets: string[];
  store: string | null;
}

function parseOptions(argv: readonly string[], readonly: boolean): SortOptions {
  const options: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    by: null,
    dontSort: false,
    gets: [],
    store: null,
  };
  for (let index = 2; index < argv.length; index += 1) {
    const word = argv[index] as string;
    const left = argv.length - index - 1;
    if (isKeyword(word, "ASC")) options.desc = false;
    else if (isKeyword(word, "DESC")) options.desc = true;
    else if (isKeyword(word, "ALPHA")) options.alpha = true;
    else if (isKeyword(word, "LIMIT") && left >= 2) {
      options.limitStart = parseInteger(argv[index + 1] as string);
      options.limitCount = parseInteger(argv[index + 2] as string);
      index += 2;
    } else if (!readonly && isKeyword(word, "STORE") && left >= 1) {
      options.store = argv[index + 1] as string;
      index += 1;
    } else if (isKeyword(word, "BY") && left >= 1) {
      options.by = argv[index + 1] as string;
      options.dontSort = !options.by.includes("*");
      index += 1;
    } else if (isKeyword(word, "GET") && left >= 1) {
      options.gets.push(argv[index + 1] as string);
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  return options;
}

/**
 * The value a BY or GET pattern names for one element (Redis's lookupKeyByPattern): "#" is the
 * element; the first '*' is replaced by it; "key->field" reads a hash field. Null when the pattern
 * has no '*', the key is missing, or it holds the wrong type.
 */
function lookupByPattern(client: Client, pattern: string, element: string): string | null {
  if (pattern === "#") return element;
  const star = pattern.indexOf("*");
  if (star === -1) return null;
  const arrow = pattern.indexOf("->", star + 1);
  const hasField = arrow !== -1 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = countLookup(client, client.db.get(key));
  if (value === undefined) return null;
  if (hasField) return value instanceof Map ? (value.get(pattern.slice(arrow + 2)) ?? null) : null;
  return typeof value === "string" ? value : null;
}

// A BY value read as strtod does: leading spaces allowed, "" is 0; anything else left over, NaN
// or an out-of-range value is an error.
function sortScore(text: string): number | null {
  let start = 0;
  while (
    start < text.length &&
    (text.charCodeAt(start) === 32 || (text.charCodeAt(start) >= 9 && text.charCodeAt(start) <= 13))
  )
    start += 1;
  if (start === text.length) return 0;
  try {
    return parseFloatArg(text.slice(start));
  } catch {
    return null;
  }
}

const compareBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One element being sorted, with its sort key. */
interface SortItem {
  readonly element: string;
  score: number;
  compareWith: string | null;
}

// The elements in native order (list order, set order, sorted-set rank order).
function elementsOf(value: StoredValue): string[] {
  if (value instanceof ListValue) return value.toArray();
  if (value instanceof Set) return [...value];
  if (value instanceof ZSetValue) return value.entries().map((entry) => entry.member);
  throw new ReplyError(ERRORS.wrongType);
}

function sortCommand(client: Client, argv: string[], readonly: boolean): void {
  const options = parseOptions(argv, readonly);
  const value = countLookup(client, client.db.get(argv[1] as string));
  if (
    value !== undefined &&
    !(value instanceof ListValue) &&
    !(value instanceof Set) &&
    !(value instanceof ZSetValue)
  ) {
    throw new ReplyError(ERRORS.wrongType);
  }
  let { alpha, dontSort, by } = options;
  // As Redis: a set stored without sorting is sorted ALPHA, so replicas and the AOF agree.
  if (dontSort && value instanceof Set && options.store !== null) {
    dontSort = false;
    alpha = true;
    by = null;
  }
  // As Redis: sorting a sorted set converts it to a skiplist for good (SORT_RO too).
  if (value instanceof ZSetValue) markConverted(value);
  const all = value === undefined ? [] : elementsOf(value);
  const length = all.length;
  let start = Math.min(Math.max(options.limitStart, 0), length);
  const limitCount = Math.min(Math.max(options.limitCount, -1), length);
  let end = limitCount < 0 ? length - 1 : start + limitCount - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  let selected: string[];
  if (dontSort) {
    // Native order (a list or sorted set read from the end for DESC), LIMIT applied directly.
    const ordered = options.desc && !(value instanceof Set) ? [...all].reverse() : all;
    selected = end >= start ? ordered.slice(start, end + 1) : [];
  } else {
    const items: SortItem[] = all.map((element) => ({ element, score: 0, compareWith: null }));
    let conversionError = false;
    for (const item of items) {
      const byValue = by === null ? item.element : lookupByPattern(client, by, item.element);
      if (byValue === null) continue;
      if (alpha) {
        if (by !== null) item.compareWith = byValue;
      } else {
        const score = sortScore(byValue);
        if (score === null) conversionError = true;
        else item.score = score;
      }
    }
    if (conversionError) throw new ReplyError("ERR One or more scores can't be converted into double");
    const sign = options.desc ? -1 : 1;
    items.sort((a, b) => {
      let order: number;
      if (!alpha) order = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
      else if (by !== null) {
        if (a.compareWith === null || b.compareWith === null)
          order = a.compareWith === b.compareWith ? 0 : a.compareWith === null ? -1 : 1;
        else order = compareBytes(a.compareWith, b.compareWith);
      } else order = compareBytes(a.element, b.element);
      return sign * order;
    });
    selected = end >= start ? items.slice(start, end + 1).map((item) => item.element) : [];
  }

  const gets = options.gets;
  if (options.store === null) {
    const reply = client.reply;
    reply.array(gets.length === 0 ? selected.length : selected.length * gets.length);
    for (const element of selected) {
      if (gets.length === 0) reply.bulk(element);
      for (const pattern of gets) reply.bulkOrNil(lookupByPattern(client, pattern, element));
    }
    return;
  }
  const stored = new ListValue();
  for (const element of selected) {
    if (gets.length === 0) stored.pushBack(element);
    for (const pattern of gets) stored.pushBack(lookupByPattern(client, pattern, element) ?? "");
  }
  const db = client.db;
  if (stored.length > 0) {
    db.set(options.store, stored);
    markDirty(client, stored.length);
  } else if (db.delete(options.store)) markDirty(client);
  client.reply.integer(stored.length);
}

/** COMMAND GETKEYS for SORT: the sorted key, then the last STORE key (as Redis's sortGetKeys). */
export function sortKeys(argv: readonly string[]): string[] {
  const keys = [argv[1] as string];
  let store: string | null = null;
  for (let index = 2; index < argv.length; index += 1) {
    const word = argv[index] as string;
    const skip = isKeyword(word, "LIMIT") ? 2 : isKeyword(word, "GET") || isKeyword(word, "BY") ? 1 : 0;
    // The STORE key itself is scanned too, as Redis does (SORT k STORE STORE x stores into x).
    if (isKeyword(word, "STORE") && index + 1 < argv.length) store = argv[index + 1] as string;
    else index += skip;
  }
  if (store !== null) keys.push(store);
  return keys;
}

/** SORT and SORT_RO specs. */
export const SORT_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@write", "@set", "@sortedset", "@list", "@slow", "@dangerous"],
    handler: (client, argv) => sortCommand(client, argv, false),
    getKeys: sortKeys,
  }),
  defineCommand({
    name: "sort_ro",
    arity: -2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: ["@read", "@set", "@sortedset", "@list", "@slow", "@dangerous"],
    handler: (client, argv) => sortCommand(client, argv, true),
  }),
];
