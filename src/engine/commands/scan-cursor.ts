// SCAN-family cursors. Redis walks hash buckets with a reverse-binary cursor; the engine's Maps
// and Sets have live iterators instead, which survive inserts and deletes and visit every element
// present for the whole scan exactly once. A cursor number names a parked iterator; an unknown or
// evicted cursor restarts the walk (SCAN allows duplicates, never misses).
import { ERRORS, ReplyError } from "../errors.ts";
import { isKeyword, parseInteger } from "./arguments.ts";
import type { ServerContext } from "../server/context-types.ts";

/** Options shared by SCAN, HSCAN, SSCAN and ZSCAN. */
export interface ScanOptions {
  readonly count: number;
  /** null when absent or "*". */
  readonly pattern: string | null;
  /** SCAN's TYPE filter (lowercase), null when absent. */
  readonly type: string | null;
}

/** Parses a cursor like Redis's strtoul-based parser (optional sign, negatives wrap), else "invalid cursor". */
export function parseScanCursor(text: string): string {
  if (text === "") return "0";
  if (!/^[+-]?\d+$/.test(text)) throw new ReplyError("ERR invalid cursor");
  const value = BigInt(text);
  const magnitude = value < 0n ? -value : value;
  if (magnitude > 18446744073709551615n) throw new ReplyError("ERR invalid cursor");
  return value === 0n ? "0" : (value < 0n ? 18446744073709551616n + value : value).toString();
}

/** Parses [MATCH pattern] [COUNT count] [TYPE type] from argv[from]. */
export function parseScanOptions(argv: readonly string[], from: number, allowType: boolean): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  let index = from;
  while (index < argv.length) {
    const remaining = argv.length - index;
    const option = argv[index];
    if (isKeyword(option?.toUpperCase(), "COUNT") && remaining >= 2) {
      count = parseInteger(argv[index + 1] as string);
      if (count < 1) throw new ReplyError(ERRORS.syntax);
    } else if (isKeyword(option?.toUpperCase(), "MATCH") && remaining >= 2) {
      const text = argv[index + 1] as string;
      pattern = text === "*" ? null : text;
    } else if (allowType && isKeyword(option?.toUpperCase(), "TYPE") && remaining >= 2) {
      type = (argv[index + 1] as string).toLowerCase();
    } else {
      throw new ReplyError(ERRORS.syntax);
    }
    index += 2;
  }
  return { count, pattern, type };
}

interface ParkedScan {
  readonly source: object;
  readonly iterator: Iterator<unknown>;
}

const MAX_PARKED = 4096;
const registries = new WeakMap<ServerContext, { parked: Map<string, ParkedScan>; next: bigint }>();

function registryOf(context: ServerContext): { parked: Map<string, ParkedScan>; next: bigint } {
  let registry = registries.get(context);
  if (registry === undefined) {
    registry = { parked: new Map(), next: 1n };
    registries.set(context, registry);
  }
  return registry;
}

/** The iterator a cursor continues over `source`, or a fresh one (cursor 0, unknown, or another source). */
export function resumeScan<T>(
  context: ServerContext,
  cursor: string,
  source: object,
  start: () => Iterator<T>,
): Iterator<T> {
  if (cursor !== "0") {
    const registry = registryOf(context);
    const parked = registry.parked.get(cursor);
    if (parked !== undefined) {
      registry.parked.delete(cursor);
      if (parked.source === source) return parked.iterator as Iterator<T>;
    }
  }
  return start();
}

/** Parks an unfinished iterator and returns its new cursor number. */
export function parkScan(context: ServerContext, source: object, iterator: Iterator<unknown>): string {
  const registry = registryOf(context);
  const cursor = registry.next.toString();
  registry.next += 1n;
  registry.parked.set(cursor, { source, iterator });
  if (registry.parked.size > MAX_PARKED) {
    const oldest = registry.parked.keys().next();
    if (oldest.done !== true) registry.parked.delete(oldest.value);
  }
  return cursor;
}

/** Takes up to `count` items from an iterator; `done` when it is exhausted. */
export function takeFrom<T>(iterator: Iterator<T>, count: number): { items: T[]; done: boolean } {
  const items: T[] = [];
  while (items.length < count) {
    const next = iterator.next();
    if (next.done === true) return { items, done: true };
    items.push(next.value);
  }
  return { items, done: false };
}
