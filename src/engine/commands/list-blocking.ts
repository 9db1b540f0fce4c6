// Multi-key and blocking list pops: LMPOP, BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH (Redis 7.0's
// t_list.c). A pop served at once propagates as the non-blocking command it amounts to; a blocked
// client served later (server/blocking.ts) propagates the same way: BLPOP → LPOP key, BLMPOP →
// LPOP/RPOP key count, BLMOVE → LMOVE src dst left|right left|right, BRPOPLPUSH → RPOPLPUSH.
import { ListValue } from "../keyspace/values.ts";
import { parseBlockTimeout } from "../server/blocking.ts";
import type { Client } from "../server/context-types.ts";
import { deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { moveElement, parseEnd, type End } from "./lists.ts";
import {
  blockingPopCommand,
  multiKeyPopCommand,
  nonEmpty,
  numkeysKeys,
  popOrBlock,
  readyValue,
  type PopServer,
} from "./multi-key-pop.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** A non-empty list at key, undefined when absent or empty; WRONGTYPE for other kinds. */
const nonEmptyList = (client: Client, key: string): ListValue | undefined => nonEmpty(client.db.getList(key));

// The list a blocked client may be served from, else undefined (keep waiting).
const servedList = (client: Client, key: string): ListValue | undefined => readyValue(client, key, ListValue);

// Pops up to `count` elements from one end, deleting the key once empty.
function popElements(client: Client, key: string, list: ListValue, end: End, count: number): string[] {
  touchForWrite(client.db, key);
  const popped: string[] = [];
  while (popped.length < count && list.length > 0)
    popped.push((end === "left" ? list.popFront() : list.popBack()) as string);
  deleteIfEmpty(client.db, key, list);
  markDirty(client, popped.length);
  return popped;
}

const popCommandName = (end: End): string => (end === "left" ? "LPOP" : "RPOP");

// BLPOP / BRPOP: [key, element]; propagates LPOP/RPOP key.
function popOne(end: End): PopServer<ListValue> {
  return {
    find: nonEmptyList,
    ready: servedList,
    serve: (client, key, list) => {
      const [element] = popElements(client, key, list, end, 1);
      client.reply.bulkArray([key, element as string]);
      client.propagate([popCommandName(end), key]);
    },
  };
}

// LMPOP / BLMPOP: [key, [elements]]; propagates LPOP/RPOP key count (count capped at the length).
function popMany(end: End, count: number): PopServer<ListValue> {
  return {
    find: nonEmptyList,
    ready: servedList,
    serve: (client, key, list) => {
      const popped = popElements(client, key, list, end, count);
      client.reply.array(2);
      client.reply.bulk(key);
      client.reply.bulkArray(popped);
      client.propagate([popCommandName(end), key, String(popped.length)]);
    },
  };
}

// BLPOP / BRPOP key [key ...] timeout
function blockingPop(client: Client, argv: string[], end: End): void {
  blockingPopCommand(client, argv, popOne(end));
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
function multiPop(client: Client, argv: string[], blocking: boolean): void {
  multiKeyPopCommand(client, argv, blocking, parseEnd, popMany);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source destination timeout.
function blockingMove(client: Client, argv: string[], from: End, to: End, isBrpoplpush: boolean): void {
  const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
  const source = argv[1] as string;
  const destination = argv[2] as string;
  const propagated = (fromWord: string, toWord: string): string[] =>
    isBrpoplpush ? ["RPOPLPUSH", source, destination] : ["LMOVE", source, destination, fromWord, toWord];
  popOrBlock(client, argv, [source], deadlineMs, {
    find: nonEmptyList,
    ready: servedList,
    serve: (served, key, list, later) => {
      served.reply.bulk(moveElement(served, key, list, destination, from, to));
      // As Redis's lmoveGenericCommand: served at once, the client's own LEFT/RIGHT words are kept.
      served.propagate(later ? propagated(from, to) : propagated(argv[3] ?? "", argv[4] ?? ""));
    },
    nullBulk: true,
  });
}

const WRITE_BLOCKING = ["@write", "@list", "@slow", "@blocking"] as const;

/** Blocking and multi-key list pop specs. */
export const LIST_BLOCKING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: [1, -2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingPop(client, argv, "left"),
  }),
  defineCommand({
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: [1, -2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => blockingPop(client, argv, "right"),
  }),
  defineCommand({
    name: "lmpop",
    arity: -4,
    flags: ["write"],
    categories: ["@write", "@list", "@slow"],
    handler: (client, argv) => multiPop(client, argv, false),
    getKeys: (argv) => numkeysKeys(argv, 1),
  }),
  defineCommand({
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking"],
    categories: WRITE_BLOCKING,
    handler: (client, argv) => multiPop(client, argv, true),
    getKeys: (argv) => numkeysKeys(argv, 2),
  }),
  defineCommand({
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: [1, 2, 1],
    categories: WRITE_BLOCKING,
    handler: (client, argv) =>
      blockingMove(client, argv, parseEnd(argv[3] as string), parseEnd(argv[4] as string), false),
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
