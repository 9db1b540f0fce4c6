// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP (with count) LLEN LRANGE LINDEX LSET LREM LTRIM
// LINSERT LPOS LMOVE RPOPLPUSH. Lists are deterministic, so every write propagates as sent.
import { ERRORS, ReplyError } from "../errors.ts";
import { ListValue } from "../keyspace/values.ts";
import { normaliseRange, parseInteger, parsePositiveCount } from "./arguments.ts";
import { countLookup, deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

/** The end of a list a push, pop or move works on. */
export type End = "left" | "right";

function readList(client: Client, key: string): ListValue | undefined {
  return countLookup(client, client.db.getList(key));
}

/** LEFT or RIGHT (any case), else a syntax error. */
export function parseEnd(text: string): End {
  const lower = text.toLowerCase();
  if (lower === "left" || lower === "right") return lower;
  throw new ReplyError(ERRORS.syntax);
}

function pushGeneric(client: Client, argv: string[], end: End, onlyIfExists: boolean): void {
  const key = argv[1] as string;
  const db = client.db;
  let list = db.getList(key, true);
  if (list === undefined) {
    if (onlyIfExists) {
      client.reply.integer(0);
      return;
    }
    list = new ListValue();
    db.set(key, list);
  }
  for (let index = 2; index < argv.length; index += 1) {
    if (end === "left") list.pushFront(argv[index] as string);
    else list.pushBack(argv[index] as string);
  }
  markDirty(client, argv.length - 2);
  client.reply.integer(list.length);
}

function popGeneric(client: Client, argv: string[], end: End): void {
  if (argv.length > 3) throw new ReplyError(ERRORS.arity((argv[0] as string).toLowerCase()));
  const hasCount = argv.length === 3;
  const count = hasCount ? parsePositiveCount(argv[2] as string) : 1;
  const key = argv[1] as string;
  const db = client.db;
  const list = db.getList(key);
  if (list === undefined) {
    if (hasCount) client.reply.nilArray();
    else client.reply.nil();
    return;
  }
  if (hasCount && count === 0) {
    client.reply.array(0);
    return;
  }
  touchForWrite(db, key);
  const popped: string[] = [];
  while (popped.length < count && list.length > 0)
    popped.push((end === "left" ? list.popFront() : list.popBack()) as string);
  deleteIfEmpty(db, key, list);
  markDirty(client);
  if (hasCount) client.reply.bulkArray(popped);
  else client.reply.bulk(popped[0] as string);
}

function lrangeCommand(client: Client, argv: string[]): void {
  const start = parseInteger(argv[2] as string);
  const end = parseInteger(argv[3] as string);
  const list = readList(client, argv[1] as string);
  if (list === undefined) {
    client.reply.array(0);
    return;
  }
  const range = normaliseRange(start, end, list.length);
  if (range === null) client.reply.array(0);
  else client.reply.bulkArray(list.slice(range[0], range[1]));
}

function lindexCommand(client: Client, argv: string[]): void {
  const list = readList(client, argv[1] as string);
  if (list === undefined) {
    client.reply.nil();
    return;
  }
  const index = parseInteger(argv[2] as string);
  client.reply.bulkOrNil(list.at(index < 0 ? list.length + index : index));
}

function lsetCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const list = client.db.getList(key);
  if (list === undefined) throw new ReplyError(ERRORS.noSuchKey);
  const index = parseInteger(argv[2] as string);
  const position = index < 0 ? list.length + index : index;
  if (position < 0 || position >= list.length) throw new ReplyError(ERRORS.indexOutOfRange);
  touchForWrite(client.db, key);
  list.setAt(position, argv[3] as string);
  markDirty(client);
  client.reply.ok();
}

function lremCommand(client: Client, argv: string[]): void {
  const toRemove = parseInteger(argv[2] as string);
  const element = argv[3] as string;
  const key = argv[1] as string;
  const db = client.db;
  const list = db.getList(key);
  if (list === undefined) {
    client.reply.integer(0);
    return;
  }
  const items = list.toArray();
  const limit = toRemove === 0 ? Infinity : Math.abs(toRemove);
  let removed = 0;
  let kept: string[];
  if (toRemove >= 0) {
    kept = items.filter((item) => {
      if (removed < limit && item === element) {
        removed += 1;
        return false;
      }
      return true;
    });
  } else {
    kept = [];
    for (let index = items.length - 1; index >= 0; index -= 1) {
      const item = items[index] as string;
      if (removed < limit && item === element) removed += 1;
      else kept.push(item);
    }
    kept.reverse();
  }
  if (removed > 0) {
    touchForWrite(db, key);
    list.replaceAll(kept);
    deleteIfEmpty(db, key, list);
    markDirty(client, removed);
  }
  client.reply.integer(removed);
}

function ltrimCommand(client: Client, argv: string[]): void {
  const start = parseInteger(argv[2] as string);
  const end = parseInteger(argv[3] as string);
  const key = argv[1] as string;
  const db = client.db;
  const list = db.getList(key);
  if (list === undefined) {
    client.reply.ok();
    return;
  }
  const length = list.length;
  const range = normaliseRange(start, end, length);
  const keepFrom = range === null ? length : range[0];
  const keepTo = range === null ? length - 1 : range[1];
  const removed = length - (keepTo - keepFrom + 1);
  if (removed > 0) {
    touchForWrite(db, key);
    for (let index = 0; index < keepFrom; index += 1) list.popFront();
    while (list.length > keepTo - keepFrom + 1) list.popBack();
    deleteIfEmpty(db, key, list);
    markDirty(client, removed);
  }
  client.reply.ok();
}

function linsertCommand(client: Client, argv: string[]): void {
  const where = (argv[2] as string).toLowerCase();
  if (where !== "before" && where !== "after") throw new ReplyError(ERRORS.syntax);
  const key = argv[1] as string;
  const list = client.db.getList(key);
  if (list === undefined) {
    client.reply.integer(0);
    return;
  }
  const items = list.toArray();
  const pivot = items.indexOf(argv[3] as string);
  if (pivot === -1) {
    client.reply.integer(-1);
    return;
  }
  touchForWrite(client.db, key);
  items.splice(where === "before" ? pivot : pivot + 1, 0, argv[4] as string);
  list.replaceAll(items);
  markDirty(client);
  client.reply.integer(list.length);
}

function lposCommand(client: Client, argv: string[]): void {
  let rank = 1;
  let count: number | null = null;
  let maxLength = 0;
  for (let index = 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toUpperCase();
    const hasMore = index + 1 < argv.length;
    if (option === "RANK" && hasMore) {
      rank = parseInteger(argv[index + 1] as string);
      if (rank === 0) {
        throw new ReplyError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
    } else if (option === "COUNT" && hasMore)
      count = parsePositiveCount(argv[index + 1] as string, "ERR COUNT can't be negative");
    else if (option === "MAXLEN" && hasMore)
      maxLength = parsePositiveCount(argv[index + 1] as string, "ERR MAXLEN can't be negative");
    else throw new ReplyError(ERRORS.syntax);
    index += 1;
  }
  const list = readList(client, argv[1] as string);
  if (list === undefined) {
    if (count === null) client.reply.nil();
    else client.reply.array(0);
    return;
  }
  const element = argv[2] as string;
  const length = list.length;
  const fromTail = rank < 0;
  let skip = Math.abs(rank) - 1;
  const wanted = count === null ? 1 : count === 0 ? Infinity : count;
  const matches: number[] = [];
  for (let step = 0; step < length && (maxLength === 0 || step < maxLength) && matches.length < wanted; step += 1) {
    const index = fromTail ? length - 1 - step : step;
    if (list.at(index) !== element) continue;
    if (skip > 0) skip -= 1;
    else matches.push(index);
  }
  if (count === null) {
    if (matches.length === 0) client.reply.nil();
    else client.reply.integer(matches[0] as number);
    return;
  }
  client.reply.array(matches.length);
  for (const match of matches) client.reply.integer(match);
}

/** Pops from source and pushes to destination (LMOVE's body); WRONGTYPE when destination is not a list. */
export function moveElement(
  client: Client,
  source: string,
  list: ListValue,
  destination: string,
  from: End,
  to: End,
): string {
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

function lmoveGeneric(client: Client, source: string, destination: string, from: End, to: End): void {
  const list = client.db.getList(source);
  if (list === undefined) client.reply.nil();
  else client.reply.bulk(moveElement(client, source, list, destination, from, to));
}

const WRITE = ["@write", "@list"] as const;
const READ = ["@read", "@list"] as const;

function spec(
  name: string,
  arity: number,
  write: boolean,
  fast: boolean,
  handler: (client: Client, argv: string[]) => void,
): CommandSpec {
  const flags = write
    ? fast
      ? (["write", "denyoom", "fast"] as const)
      : (["write", "denyoom"] as const)
    : fast
      ? (["readonly", "fast"] as const)
      : (["readonly"] as const);
  return defineCommand({
    name,
    arity,
    flags,
    keys: [1, 1, 1],
    categories: [...(write ? WRITE : READ), fast ? "@fast" : "@slow"],
    handler,
  });
}

/** List command specs. */
export const LIST_COMMANDS: readonly CommandSpec[] = [
  spec("lpush", -3, true, true, (client, argv) => pushGeneric(client, argv, "left", false)),
  spec("rpush", -3, true, true, (client, argv) => pushGeneric(client, argv, "right", false)),
  spec("lpushx", -3, true, true, (client, argv) => pushGeneric(client, argv, "left", true)),
  spec("rpushx", -3, true, true, (client, argv) => pushGeneric(client, argv, "right", true)),
  defineCommand({
    name: "lpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@fast"],
    handler: (client, argv) => popGeneric(client, argv, "left"),
  }),
  defineCommand({
    name: "rpop",
    arity: -2,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@fast"],
    handler: (client, argv) => popGeneric(client, argv, "right"),
  }),
  spec("llen", 2, false, true, (client, argv) =>
    client.reply.integer(readList(client, argv[1] as string)?.length ?? 0),
  ),
  spec("lrange", 4, false, false, lrangeCommand),
  spec("lindex", 3, false, false, lindexCommand),
  spec("lset", 4, true, false, lsetCommand),
  defineCommand({
    name: "lrem",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@slow"],
    handler: lremCommand,
  }),
  defineCommand({
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@slow"],
    handler: ltrimCommand,
  }),
  spec("linsert", 5, true, false, linsertCommand),
  spec("lpos", -3, false, false, lposCommand),
  defineCommand({
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: (client, argv) => {
      const from = parseEnd(argv[3] as string);
      const to = parseEnd(argv[4] as string);
      lmoveGeneric(client, argv[1] as string, argv[2] as string, from, to);
    },
  }),
  defineCommand({
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: (client, argv) => lmoveGeneric(client, argv[1] as string, argv[2] as string, "right", "left"),
  }),
];
