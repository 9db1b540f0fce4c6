// Counter commands on strings: INCR DECR INCRBY DECRBY (64-bit, overflow checked) and INCRBYFLOAT
// (long double like Redis; propagated as SET key value KEEPTTL so replay never re-rounds).
import { ERRORS, ReplyError } from "../errors.ts";
import { parseBigInteger } from "./arguments.ts";
import { markDirty } from "./access.ts";
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from "./long-double.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Adds `increment` to the integer at key (created as 0) and replies with the result. */
function incrementBy(client: Client, key: string, increment: bigint): void {
  const db = client.db;
  const current = db.getString(key);
  const value = current === undefined ? 0n : parseBigInteger(current);
  const result = value + increment;
  if (result > INT64_MAX || result < INT64_MIN) throw new ReplyError(ERRORS.overflow);
  const text = result.toString();
  db.set(key, text, true);
  markDirty(client);
  client.reply.raw(":" + text + "\r\n");
}

/** Whether text is an infinity strtold accepts (INCRBYFLOAT then reports NaN/Infinity, not a bad float). */
export function isInfinityText(text: string): boolean {
  return /^[+-]?inf(inity)?$/i.test(text);
}

/** Adds two long doubles given as text; the shared body of INCRBYFLOAT and HINCRBYFLOAT. */
export function addFloatTexts(current: string | undefined, incrementText: string, currentError: string): string {
  const increment = parseLongDouble(incrementText);
  const incrementInfinite = increment === null && isInfinityText(incrementText);
  if (increment === null && !incrementInfinite) throw new ReplyError(ERRORS.notFloat);
  const base = current === undefined ? { negative: false, mantissa: 0n, exponent: 0 } : parseLongDouble(current);
  if (base === null) {
    if (current !== undefined && isInfinityText(current))
      throw new ReplyError("ERR increment would produce NaN or Infinity");
    throw new ReplyError(currentError);
  }
  const sum = increment === null ? null : addLongDouble(base, increment);
  if (sum === null) throw new ReplyError("ERR increment would produce NaN or Infinity");
  return formatLongDoubleHuman(sum);
}

function incrbyfloatCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const db = client.db;
  const current = db.getString(key);
  const text = addFloatTexts(current, argv[2] as string, ERRORS.notFloat);
  db.set(key, text, true);
  markDirty(client);
  // Always SET with KEEPTTL: replaying a float addition could round differently elsewhere.
  client.propagate(["SET", key, text, "KEEPTTL"]);
  client.reply.bulk(text);
}

const CATEGORIES = ["@write", "@string", "@fast"] as const;

function counter(name: string, arity: number, handler: (client: Client, argv: string[]) => void): CommandSpec {
  return defineCommand({
    name,
    arity,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: CATEGORIES,
    handler,
  });
}

/** Counter command specs. */
export const STRING_COUNTER_COMMANDS: readonly CommandSpec[] = [
  counter("incr", 2, (client, argv) => incrementBy(client, argv[1] as string, 1n)),
  counter("decr", 2, (client, argv) => incrementBy(client, argv[1] as string, -1n)),
  counter("incrby", 3, (client, argv) => incrementBy(client, argv[1] as string, parseBigInteger(argv[2] as string))),
  counter("decrby", 3, (client, argv) => {
    const decrement = parseBigInteger(argv[2] as string);
    if (decrement === INT64_MIN) throw new ReplyError("ERR decrement would overflow");
    incrementBy(client, argv[1] as string, -decrement);
  }),
  counter("incrbyfloat", 3, incrbyfloatCommand),
];
