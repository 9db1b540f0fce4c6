// Multi-key and blocking list pops: LMPOP, BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH (Redis 7.0's
// t_list.c). A pop served at once propagates as the non-blocking command it amounts to; a blocked
// client served later (server/blocking.ts) propagates the same way: BLPOP → LPOP key, BLMPOP →
// LPOP/RPOP key count, BLMOVE → LMOVE src dst left|right left|right, BRPOPLPUSH → RPOPLPUSH.
import { ERRORS, ReplyError } from "../errors.ts";
import { ListValue } from "../keyspace/values.ts";
import { parseBlockTimeout } from "../server/blocking.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword, parseRangedInteger } from "./arguments.ts";
import { deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

type End = "left" | "right";

const LONG_MAX = 9223372036854775807n;

function parseEnd(text: string): End {
  if (isKeyword(text, "LEFT")) return "left";
  if (isKeyword(text, "RIGHT")) return "right";
  throw new ReplyError(ERRORS.syntax);
}

/** A non-empty list at key, undefined when absent or empty; WRONGTYPE for other kinds. */
function nonEmptyList(client: Client, key: string): ListValue | undefined {
  const list = client.db.getList(key);
  return list === undefined || list.length === 0 ? undefined : list;
}

// Pops up to `count` elements from one end, deleting the key once empty.
function popElements(client: Client, key: string, list: ListValue, end: End, count: number): string[] {
  touchForWrite(client.db, key);
  const popped: string[] = [];
  while (popped.length < count && list.length > 0) popped.push((end === "left" ? list.popFront() : list.popBack()) as string);
  deleteIfEmpty(client.db, key, list);
  markDirty(client, popped.length);
  return popped;
}

const popCommandName = (end: End): string => (end === "left" ? "LPOP" : "RPOP");

// BLPOP / BRPOP: [key, element]; propagates LPOP/RPOP key.
function popOne(client: Client, key: string, list: ListValue, end: End): void {
  const [element] = popElements(client, key, list, end, 1);
  client.reply.bulkArray([key, element as string]);
  client.propagate([popCommandName(end), key]);
}

// LMPOP / BLMPOP: [key, [elements]]; propagates LPOP/RPOP key count (count capped at the length).
function popMany(client: Client, key: string, list: ListValue, end: End, count: number): void {
  const popped = popElements(client, key, list, end, count);
  client.reply.array(2);
  client.reply.bulk(key);
  client.reply.bulkArray(popped);
  client.propagate([popCommandName(end), key, String(popped.length)]);
}

/** Options of LMPOP / BLMPOP after numkeys: the keys, the end, the count. */
interface MultiPopArguments {
  readonly keys: string[];
  readonly end: End;
  /** 0 = no COUNT given (one element, still in the nested reply). */
  readonly count: number;
}

// Parses `numkeys key... LEFT|RIGHT [COUNT n]` starting at argv[numkeysIndex], with Redis's errors.
function parseMultiPop(argv: readonly string[], numkeysIndex: number, parseWhere: (text: string) => End): MultiPopArguments {
  const numkeys = Number(parseRangedInteger(argv[numkeysIndex] as string, 1n, LONG_MAX, "ERR numkeys should be greater than 0"));
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) throw new ReplyError(ERRORS.syntax);
  const end = parseWhere(argv[whereIndex] as string);
  let count = 0;
  for (let index = whereIndex + 1; index < argv.length; index += 1) {
    if (count === 0 && isKeyword(argv[index], "COUNT") && index + 1 < argv.length) {
      count = Number(parseRangedInteger(argv[index + 1] as string, 1n, LONG_MAX, "ERR count should be greater than 0"));
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  return { keys: argv.slice(numkeysIndex + 1, whereIndex), end, count };
}

/** COMMAND GETKEYS of a `numkeys key...` command (LMPOP, ZUNIONSTORE, ...): [] when numkeys is invalid. */
export function numkeysKeys(argv: readonly string[], numkeysIndex: number, extraKeyIndex?: number): string[] {
  const text = argv[numkeysIndex] ?? "";
  const numkeys = /^[1-9]\d*$/.test(text) ? Number(text) : 0;
  if (numkeys === 0 || numkeysIndex + numkeys >= argv.length) return [];
  const keys = argv.slice(numkeysIndex + 1, numkeysIndex + 1 + numkeys);
  return extraKeyIndex === undefined ? keys : [argv[extraKeyIndex] as string, ...keys];
}

/** Also used by ZMPOP/BZMPOP: `numkeys key... MIN|MAX [COUNT n]`. */
export { parseMultiPop as parseMultiKeyPop };

// Blocks the client on keys, or replies as a timeout when it may not block (MULTI).
function blockOrTimeout(client: Client, argv: readonly string[], keys: readonly string[], deadlineMs: number, tryServe: (client: Client, key: string) => boolean, nullBulk = false): void {
  const blocking = client.server.blocking;
  if (!blocking.mayBlock(client)) {
    if (nullBulk) client.reply.nil();
    else client.reply.nilArray();
    return;
  }
  blocking.block(client, { keys, deadlineMs, tryServe }, argv);
}

// BLPOP / BRPOP key [key ...] timeout
function blockingPop(client: Client, argv: string[], end: End): void {
  const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
  const keys = argv.slice(1, -1);
  for (const key of keys) {
    const list = nonEmptyList(client, key);
    if (list === undefined) continue;
    popOne(client, key, list, end);
    return;
  }
  blockOrTimeout(client, argv, keys, deadlineMs, (served, key) => {
    const list = servedList(served, key);
    if (list === undefined) return false;
    popOne(served, key, list, end);
    return true;
  });
}

// The list a blocked client may be served from: a non-empty list at key, else undefined (keep waiting).
function servedList(client: Client, key: string): ListValue | undefined {
  const value = client.db.get(key);
  return value instanceof ListValue && value.length > 0 ? value : undefined;
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
function lmpopCommand(client: Client, argv: string[]): void {
  const { keys, end, count } = parseMultiPop(argv, 1, parseEnd);
  for (const key of keys) {
    const list = nonEmptyList(client, key);
    if (list === undefined) continue;
    popMany(client, key, list, end, count === 0 ? 1 : count);
    return;
  }
  client.reply.nilArray();
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
function blmpopCommand(client: Client, argv: string[]): void {
  const { keys, end, count } = parseMultiPop(argv, 2, parseEnd);
  const deadlineMs = parseBlockTimeout(argv[1] as string);
  const wanted = count === 0 ? 1 : count;
  for (const key of keys) {
    const list = nonEmptyList(client, key);
    if (list === undefined) continue;
    popMany(client, key, list, end, wanted);
    return;
  }
  blockOrTimeout(client, argv, keys, deadlineMs, (served, key) => {
    const list = servedList(served, key);
    if (list === undefined) return false;
    popMany(served, key, list, end, wanted);
    return true;
  });
}

// Pops from source and pushes to destination (LMOVE's body); WRONGTYPE when destination is not a list.
function moveElement(client: Client, source: string, list: ListValue, destination: string, from: End, to: End): string {
  const db = client.db;
  let target = db.getList(destination);
  touchForWrite(db, source);
  if (target !== undefined && destination !== source) touchForWrite(db, destination);
  const value = (from === "left" ? list.popFront() : list.popBack()) as string;
  if (target === undefined) {
    target = new ListValue();
    db.set(destination, target);
  }
  if (to === "left") target.pushFront(value);
  else target.pushBack(value);
  deleteIfEmpty(db, source, list);
  markDirty(client);
  return value;
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source destination timeout.
function blockingMove(client: Client, argv: string[], from: End, to: End, isBrpoplpush: boolean): void {
  const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const list = nonEmptyList(client, source);
  const propagated = (fromWord: string, toWord: string): string[] =>
    isBrpoplpush ? ["RPOPLPUSH", source, destination] : ["LMOVE", source, destination, fromWord, toWord];
  if (list !== undefined) {
    client.reply.bulk(moveElement(client, source, list, destination, from, to));
    // As Redis's lmoveGenericCommand: the client's own LEFT/RIGHT words are kept.
    client.propagate(propagated(argv[3] ?? "", argv[4] ?? ""));
    return;
  }
  blockOrTimeout(
    client,
    argv,
    [source],
    deadlineMs,
    (served, key) => {
      const ready = servedList(served, key);
      if (ready === undefined) return false;
      served.reply.bulk(moveElement(served, source, ready, destination, from, to));
      served.propagate(propagated(from, to));
      return true;
    },
    true,
  );
}

const WRITE_BLOCKING = ["@write", "@list", "@slow", "@blocking"] as const;

/** Blocking and multi-key list pop specs. */
export const LIST_BLOCKING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({ name: "blpop", arity: -3, flags: ["write", "noscript", "blocking"], keys: [1, -2, 1], categories: WRITE_BLOCKING, handler: (client, argv) => blockingPop(client, argv, "left") }),
  defineCommand({ name: "brpop", arity: -3, flags: ["write", "noscript", "blocking"], keys: [1, -2, 1], categories: WRITE_BLOCKING, handler: (client, argv) => blockingPop(client, argv, "right") }),
  defineCommand({ name: "lmpop", arity: -4, flags: ["write"], categories: ["@write", "@list", "@slow"], handler: lmpopCommand, getKeys: (argv) => numkeysKeys(argv, 1) }),
  defineCommand({ name: "blmpop", arity: -5, flags: ["write", "blocking"], categories: WRITE_BLOCKING, handler: blmpopCommand, getKeys: (argv) => numkeysKeys(argv, 2) }),
  defineCommand({
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: [1, 2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingMove(client, argv, parseEnd(argv[3] as string), parseEnd(argv[4] as string), false),
  }),
  defineCommand({
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: [1, 2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingMove(client, argv, "right", "left", true),
  }),
];
