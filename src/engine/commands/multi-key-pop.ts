// What the multi-key and blocking pops of lists and sorted sets share (LMPOP, BLPOP, BLMPOP, BLMOVE,
// ZMPOP, BZPOPMIN, BZMPOP, ...): parsing `numkeys key... WHERE [COUNT n]`, their COMMAND GETKEYS, and
// the "serve the first ready key, else block (or time out at once inside MULTI)" step.
import { ERRORS, ReplyError } from "../errors.ts";
import { parseBlockTimeout } from "../server/blocking.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseRangedInteger } from "./arguments.ts";

const LONG_MAX = 9223372036854775807n;

/** Options of LMPOP / BLMPOP / ZMPOP / BZMPOP after numkeys: the keys, the end or side, the count. */
export interface MultiKeyPopArguments<Where> {
  readonly keys: string[];
  readonly where: Where;
  /** 0 = no COUNT given (one element, still in the nested reply). */
  readonly count: number;
}

/** Parses `numkeys key... WHERE [COUNT n]` starting at argv[numkeysIndex], with Redis's errors. */
export function parseMultiKeyPop<Where>(
  argv: readonly string[],
  numkeysIndex: number,
  parseWhere: (text: string) => Where,
): MultiKeyPopArguments<Where> {
  const numkeys = Number(
    parseRangedInteger(argv[numkeysIndex] as string, 1n, LONG_MAX, "ERR numkeys should be greater than 0"),
  );
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) throw new ReplyError(ERRORS.syntax);
  const where = parseWhere(argv[whereIndex] as string);
  let count = 0;
  for (let index = whereIndex + 1; index < argv.length; index += 1) {
    if (count === 0 && isKeyword(argv[index], "COUNT") && index + 1 < argv.length) {
      count = Number(parseRangedInteger(argv[index + 1] as string, 1n, LONG_MAX, "ERR count should be greater than 0"));
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  return { keys: argv.slice(numkeysIndex + 1, whereIndex), where, count };
}

/** COMMAND GETKEYS of a `numkeys key...` command (LMPOP, ZUNIONSTORE, ...): [] when numkeys is invalid. */
export function numkeysKeys(argv: readonly string[], numkeysIndex: number, extraKeyIndex?: number): string[] {
  const text = argv[numkeysIndex] ?? "";
  const numkeys = /^[1-9]\d*$/.test(text) ? Number(text) : 0;
  if (numkeys === 0 || numkeysIndex + numkeys >= argv.length) return [];
  const keys = argv.slice(numkeysIndex + 1, numkeysIndex + 1 + numkeys);
  return extraKeyIndex === undefined ? keys : [argv[extraKeyIndex] as string, ...keys];
}

/** How one pop family finds and serves a value: now (`find` may answer WRONGTYPE) and once blocked. */
export interface PopServer<Value> {
  /** The value at key that can be served now, undefined to try the next key. */
  readonly find: (client: Client, key: string) => Value | undefined;
  /** The value a blocked client may be served from, undefined to keep waiting. */
  readonly ready: (client: Client, key: string) => Value | undefined;
  /** Pops from the value, replies and propagates; `later` when the client was blocked first. */
  readonly serve: (client: Client, key: string, value: Value, later: boolean) => void;
  /** The timeout reply is a null bulk (BLMOVE, BRPOPLPUSH) rather than a null array. */
  readonly nullBulk?: boolean;
}

/** Serves the first key `find` accepts; true when one was served. */
export function serveFirstKey<Value>(
  client: Client,
  keys: readonly string[],
  server: Pick<PopServer<Value>, "find" | "serve">,
): boolean {
  for (const key of keys) {
    const value = server.find(client, key);
    if (value === undefined) continue;
    server.serve(client, key, value, false);
    return true;
  }
  return false;
}

/** Serves the first ready key now, else blocks the client on keys (replying as a timeout inside MULTI). */
export function popOrBlock<Value>(
  client: Client,
  argv: readonly string[],
  keys: readonly string[],
  deadlineMs: number,
  server: PopServer<Value>,
): void {
  if (serveFirstKey(client, keys, server)) return;
  const blocking = client.server.blocking;
  if (!blocking.mayBlock(client)) {
    if (server.nullBulk === true) client.reply.nil();
    else client.reply.nilArray();
    return;
  }
  const tryServe = (served: Client, key: string): boolean => {
    const value = server.ready(served, key);
    if (value === undefined) return false;
    server.serve(served, key, value, true);
    return true;
  };
  blocking.block(client, { keys, deadlineMs, tryServe }, argv);
}

/** BLPOP / BRPOP / BZPOPMIN / BZPOPMAX: `key [key ...] timeout`. */
export function blockingPopCommand<Value>(client: Client, argv: readonly string[], server: PopServer<Value>): void {
  const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
  popOrBlock(client, argv, argv.slice(1, -1), deadlineMs, server);
}

/**
 * LMPOP / ZMPOP (`numkeys key... WHERE [COUNT n]`) and, with `blocking`, BLMPOP / BZMPOP (`timeout
 * numkeys ...`): `serverFor` builds the pop of one end or side and count (1 without COUNT).
 */
export function multiKeyPopCommand<Where, Value>(
  client: Client,
  argv: readonly string[],
  blocking: boolean,
  parseWhere: (text: string) => Where,
  serverFor: (where: Where, count: number) => PopServer<Value>,
): void {
  const { keys, where, count } = parseMultiKeyPop(argv, blocking ? 2 : 1, parseWhere);
  const server = serverFor(where, count === 0 ? 1 : count);
  if (blocking) popOrBlock(client, argv, keys, parseBlockTimeout(argv[1] as string), server);
  else if (!serveFirstKey(client, keys, server)) client.reply.nilArray();
}

/** A list or sorted set that can be popped from: undefined when absent or empty. */
export function nonEmpty<Value extends { readonly length: number }>(value: Value | undefined): Value | undefined {
  return value === undefined || value.length === 0 ? undefined : value;
}

/** What a blocked client may be served from: a non-empty value of `kind` at key, else undefined (keep waiting). */
export function readyValue<Value extends { readonly length: number }>(
  client: Client,
  key: string,
  kind: abstract new (...args: never[]) => Value,
): Value | undefined {
  const value = client.db.get(key);
  return value instanceof kind && value.length > 0 ? value : undefined;
}
