// Multi-key and blocking sorted-set pops: ZMPOP, BZPOPMIN, BZPOPMAX, BZMPOP (Redis 7.0's t_zset.c).
// Served at once or after blocking (server/blocking.ts), they propagate as ZPOPMIN/ZPOPMAX key
// (BZPOPMIN/BZPOPMAX) or ZPOPMIN/ZPOPMAX key count (ZMPOP/BZMPOP, count capped at the set's size).
import { ERRORS, ReplyError } from "../errors.ts";
import { ZSetValue } from "../keyspace/values.ts";
import type { ZSetEntry } from "../keyspace/zset-value.ts";
import type { Client } from "../server/context-types.ts";
import { isKeyword } from "./arguments.ts";
import { deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import {
  blockingPopCommand,
  multiKeyPopCommand,
  nonEmpty,
  numkeysKeys,
  readyValue,
  type PopServer,
} from "./multi-key-pop.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

type Side = "min" | "max";

function parseSide(text: string): Side {
  if (isKeyword(text, "MIN")) return "min";
  if (isKeyword(text, "MAX")) return "max";
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

/** A non-empty sorted set at key, undefined when absent; WRONGTYPE for other kinds. */
const nonEmptyZSet = (client: Client, key: string): ZSetValue | undefined => nonEmpty(client.db.getZSet(key));

// What a blocked client may be served from: a non-empty sorted set at key, else keep waiting.
const servedZSet = (client: Client, key: string): ZSetValue | undefined => readyValue(client, key, ZSetValue);

// BZPOPMIN / BZPOPMAX: flat [key, member, score]; propagates ZPOPMIN/ZPOPMAX key.
function popOne(side: Side): PopServer<ZSetValue> {
  return {
    find: nonEmptyZSet,
    ready: servedZSet,
    serve: (client, key, zset) => {
      const [entry] = popEntries(client, key, zset, side, 1) as [ZSetEntry];
      const reply = client.reply;
      reply.array(3);
      reply.bulk(key);
      reply.bulk(entry.member);
      reply.double(entry.score);
      client.propagate([popCommandName(side), key]);
    },
  };
}

// ZMPOP / BZMPOP: [key, [[member, score], ...]]; propagates ZPOPMIN/ZPOPMAX key count. As Redis's
// genericZpopCommand, ZMPOP takes the first existing key as the candidate (WRONGTYPE when it is not a
// sorted set): `find` is getZSet, with no emptiness test, for ZMPOP.
function popMany(side: Side, count: number, find: PopServer<ZSetValue>["find"]): PopServer<ZSetValue> {
  return {
    find,
    ready: servedZSet,
    serve: (client, key, zset) => {
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
    },
  };
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout
function blockingPop(client: Client, argv: string[], side: Side): void {
  blockingPopCommand(client, argv, popOne(side));
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
function multiPop(client: Client, argv: string[], blocking: boolean): void {
  const find: PopServer<ZSetValue>["find"] = blocking ? nonEmptyZSet : (target, key) => target.db.getZSet(key);
  multiKeyPopCommand(client, argv, blocking, parseSide, (side, count) => popMany(side, count, find));
}

const WRITE_BLOCKING = ["@write", "@sortedset", "@fast", "@blocking"] as const;

/** Blocking and multi-key sorted-set pop specs. */
export const ZSET_BLOCKING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: [1, -2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingPop(client, argv, "min"),
  }),
  defineCommand({
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: [1, -2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingPop(client, argv, "max"),
  }),
  defineCommand({
    name: "zmpop",
    arity: -4,
    flags: ["write"],
    categories: ["@write", "@sortedset", "@slow"],
    handler: (client, argv) => multiPop(client, argv, false),
    getKeys: (argv) => numkeysKeys(argv, 1),
  }),
  defineCommand({
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking"],
    categories: ["@write", "@sortedset", "@slow", "@blocking"],
    handler: (client, argv) => multiPop(client, argv, true),
    getKeys: (argv) => numkeysKeys(argv, 2),
  }),
];
