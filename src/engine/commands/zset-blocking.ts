// Multi-key and blocking sorted-set pops: ZMPOP, BZPOPMIN, BZPOPMAX, BZMPOP (Redis 7.0's t_zset.c).
// Served at once or after blocking (server/blocking.ts), they propagate as ZPOPMIN/ZPOPMAX key
// (BZPOPMIN/BZPOPMAX) or ZPOPMIN/ZPOPMAX key count (ZMPOP/BZMPOP, count capped at the set's size).
import { ERRORS, ReplyError } from "../errors.ts";
import { ZSetValue } from "../keyspace/values.ts";
import type { ZSetEntry } from "../keyspace/zset-value.ts";
import { parseBlockTimeout } from "../server/blocking.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword } from "./arguments.ts";
import { deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { numkeysKeys, parseMultiKeyPop } from "./list-blocking.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

type Side = "min" | "max";

// parseMultiKeyPop's `end` slot carries the side for sorted sets.
function parseSide(text: string): "left" | "right" {
  if (isKeyword(text, "MIN")) return "left";
  if (isKeyword(text, "MAX")) return "right";
  throw new ReplyError(ERRORS.syntax);
}

// Removes up to `count` members from one side, deleting the key once empty.
function popEntries(client: Client, key: string, zset: ZSetValue, side: Side, count: number): ZSetEntry[] {
  touchForWrite(client.db, key);
  const popped: ZSetEntry[] = [];
  while (popped.length < count && zset.length > 0) {
    const entry = zset.at(side === "max" ? zset.length - 1 : 0) as ZSetEntry;
    zset.remove(entry.member);
    popped.push(entry);
  }
  deleteIfEmpty(client.db, key, zset);
  markDirty(client, popped.length);
  return popped;
}

const popCommandName = (side: Side): string => (side === "min" ? "ZPOPMIN" : "ZPOPMAX");

// BZPOPMIN / BZPOPMAX: flat [key, member, score]; propagates ZPOPMIN/ZPOPMAX key.
function popOne(client: Client, key: string, zset: ZSetValue, side: Side): void {
  const [entry] = popEntries(client, key, zset, side, 1) as [ZSetEntry];
  const reply = client.reply;
  reply.array(3);
  reply.bulk(key);
  reply.bulk(entry.member);
  reply.double(entry.score);
  client.propagate([popCommandName(side), key]);
}

// ZMPOP / BZMPOP: [key, [[member, score], ...]]; propagates ZPOPMIN/ZPOPMAX key count.
function popMany(client: Client, key: string, zset: ZSetValue, side: Side, count: number): void {
  const popped = popEntries(client, key, zset, side, count);
  const reply = client.reply;
  reply.array(2);
  reply.bulk(key);
  reply.array(popped.length);
  for (const entry of popped) {
    reply.array(2);
    reply.bulk(entry.member);
    reply.double(entry.score);
  }
  client.propagate([popCommandName(side), key, String(popped.length)]);
}

/** A non-empty sorted set at key, undefined when absent; WRONGTYPE for other kinds. */
function nonEmptyZSet(client: Client, key: string): ZSetValue | undefined {
  const zset = client.db.getZSet(key);
  return zset === undefined || zset.length === 0 ? undefined : zset;
}

// What a blocked client may be served from: a non-empty sorted set at key, else keep waiting.
function servedZSet(client: Client, key: string): ZSetValue | undefined {
  const value = client.db.get(key);
  return value instanceof ZSetValue && value.length > 0 ? value : undefined;
}

function blockOrTimeout(client: Client, argv: readonly string[], keys: readonly string[], deadlineMs: number, tryServe: (client: Client, key: string) => boolean): void {
  const blocking = client.server.blocking;
  if (!blocking.mayBlock(client)) {
    client.reply.nilArray();
    return;
  }
  blocking.block(client, { keys, deadlineMs, tryServe }, argv);
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout
function blockingPop(client: Client, argv: string[], side: Side): void {
  const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
  const keys = argv.slice(1, -1);
  for (const key of keys) {
    const zset = nonEmptyZSet(client, key);
    if (zset === undefined) continue;
    popOne(client, key, zset, side);
    return;
  }
  blockOrTimeout(client, argv, keys, deadlineMs, (served, key) => {
    const zset = servedZSet(served, key);
    if (zset === undefined) return false;
    popOne(served, key, zset, side);
    return true;
  });
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: as Redis's genericZpopCommand, the first
// existing key is the candidate (WRONGTYPE when it is not a sorted set).
function zmpopCommand(client: Client, argv: string[]): void {
  const { keys, end, count } = parseMultiKeyPop(argv, 1, parseSide);
  const side: Side = end === "left" ? "min" : "max";
  for (const key of keys) {
    const zset = client.db.getZSet(key);
    if (zset === undefined) continue;
    popMany(client, key, zset, side, count === 0 ? 1 : count);
    return;
  }
  client.reply.nilArray();
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
function bzmpopCommand(client: Client, argv: string[]): void {
  const { keys, end, count } = parseMultiKeyPop(argv, 2, parseSide);
  const side: Side = end === "left" ? "min" : "max";
  const deadlineMs = parseBlockTimeout(argv[1] as string);
  const wanted = count === 0 ? 1 : count;
  for (const key of keys) {
    const zset = nonEmptyZSet(client, key);
    if (zset === undefined) continue;
    popMany(client, key, zset, side, wanted);
    return;
  }
  blockOrTimeout(client, argv, keys, deadlineMs, (served, key) => {
    const zset = servedZSet(served, key);
    if (zset === undefined) return false;
    popMany(served, key, zset, side, wanted);
    return true;
  });
}

const WRITE_BLOCKING = ["@write", "@sortedset", "@fast", "@blocking"] as const;

/** Blocking and multi-key sorted-set pop specs. */
export const ZSET_BLOCKING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({ name: "bzpopmin", arity: -3, flags: ["write", "noscript", "blocking", "fast"], keys: [1, -2, 1], categories: WRITE_BLOCKING, handler: (client, argv) => blockingPop(client, argv, "min") }),
  defineCommand({ name: "bzpopmax", arity: -3, flags: ["write", "noscript", "blocking", "fast"], keys: [1, -2, 1], categories: WRITE_BLOCKING, handler: (client, argv) => blockingPop(client, argv, "max") }),
  defineCommand({ name: "zmpop", arity: -4, flags: ["write"], categories: ["@write", "@sortedset", "@slow"], handler: zmpopCommand, getKeys: (argv) => numkeysKeys(argv, 1) }),
  defineCommand({ name: "bzmpop", arity: -5, flags: ["write", "blocking"], categories: ["@write", "@sortedset", "@slow", "@blocking"], handler: bzmpopCommand, getKeys: (argv) => numkeysKeys(argv, 2) }),
];
