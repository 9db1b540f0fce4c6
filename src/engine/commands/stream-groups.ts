// Consumer-group commands: XGROUP (CREATE SETID DESTROY CREATECONSUMER DELCONSUMER HELP), XACK,
// XPENDING (summary and extended, IDLE) as t_stream.c. Group changes are not signalled as key
// modifications (WATCH stays valid, as in Redis), but snapshots still keep the old value.
import { ERRORS, ReplyError } from "../errors.ts";
import type { ConsumerGroup, StreamNack } from "../keyspace/stream-groups.ts";
import { formatId, MIN_ID, type StreamId } from "../keyspace/stream-id.ts";
import { StreamValue } from "../keyspace/stream-value.ts";
import type { Client } from "../server/context-types.ts";
import { countLookup, markDirty } from "./access.ts";
import { isKeyword } from "./arguments.ts";
import {
  clampToNumber,
  countOf,
  parseLongLong,
  parseLooseId,
  parseRangeEnd,
  parseRangeStart,
  parseStrictId,
  STREAM_ERRORS,
} from "./stream-args.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const HELP = [
  "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
  "HELP",
  "    Prints this help.",
];

// Subcommand names and arities are validated by the dispatcher (XGROUP_SUBCOMMANDS below).
function xgroupCommand(client: Client, argv: string[]): void {
  const sub = (argv[1] as string).toLowerCase();
  if (sub === "help") {
    client.reply.array(HELP.length);
    for (const line of HELP) client.reply.status(line);
    return;
  }
  const syntaxError = (): ReplyError => new ReplyError(STREAM_ERRORS.subcommandSyntax(argv[1] as string, "XGROUP"));
  let makeStream = false;
  let entriesRead = -1n;
  for (let index = 5; index < argv.length; ) {
    if (sub === "create" && isKeyword(argv[index], "MKSTREAM")) {
      makeStream = true;
      index += 1;
    } else if (
      (sub === "create" || sub === "setid") &&
      isKeyword(argv[index], "ENTRIESREAD") &&
      index + 1 < argv.length
    ) {
      entriesRead = parseLongLong(argv[index + 1] as string);
      if (entriesRead < 0n && entriesRead !== -1n)
        throw new ReplyError("ERR value for ENTRIESREAD must be positive or -1");
      index += 2;
    } else throw syntaxError();
  }
  const key = argv[2] as string;
  const groupName = argv[3] as string;
  const db = client.db;
  let stream = db.getStream(key);
  let group: ConsumerGroup | undefined;
  if (!makeStream) {
    if (stream === undefined) {
      throw new ReplyError(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      );
    }
    group = stream.group(groupName);
    if (group === undefined && (sub === "setid" || sub === "createconsumer" || sub === "delconsumer")) {
      throw new ReplyError(STREAM_ERRORS.noGroupOnKey(groupName, key));
    }
  }
  const now = Date.now();
  if (sub === "create" && argv.length <= 8) {
    const id: StreamId = argv[4] === "$" ? (stream?.lastId ?? MIN_ID) : parseStrictId(argv[4] as string);
    if (stream === undefined) {
      stream = new StreamValue();
      db.set(key, stream);
    } else db.getForSilentWrite(key);
    if (stream.createGroup(groupName, id, entriesRead) === null)
      throw new ReplyError("BUSYGROUP Consumer Group name already exists");
    markDirty(client);
    client.reply.ok();
  } else if (sub === "setid" && (argv.length === 5 || argv.length === 7)) {
    const id = argv[4] === "$" ? (stream as StreamValue).lastId : parseLooseId(argv[4] as string);
    db.getForSilentWrite(key);
    const target = group as ConsumerGroup;
    target.lastId = id;
    target.entriesRead = entriesRead;
    markDirty(client);
    client.reply.ok();
  } else if (sub === "destroy" && argv.length === 4) {
    if (group === undefined) {
      client.reply.integer(0);
      return;
    }
    db.getForSilentWrite(key);
    (stream as StreamValue).groups?.delete(groupName);
    markDirty(client);
    // XREADGROUP clients blocked on this group get -NOGROUP (a group change is otherwise not signalled).
    client.server.blocking.signalKeyReady(db, key);
    client.reply.integer(1);
  } else if (sub === "createconsumer" && argv.length === 5) {
    db.getForSilentWrite(key);
    const created = (group as ConsumerGroup).createConsumer(argv[4] as string, now);
    if (created !== null) markDirty(client);
    client.reply.integer(created === null ? 0 : 1);
  } else if (sub === "delconsumer" && argv.length === 5) {
    const target = group as ConsumerGroup;
    const consumer = target.consumers.get(argv[4] as string);
    let pending = 0;
    if (consumer !== undefined) {
      db.getForSilentWrite(key);
      pending = target.deleteConsumer(consumer);
      markDirty(client);
    }
    client.reply.integer(pending);
  } else throw syntaxError();
}

function xackCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const stream = client.db.getStream(key);
  const group = stream?.group(argv[2] as string);
  if (stream === undefined || group === undefined) {
    client.reply.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let index = 3; index < argv.length; index += 1) ids.push(parseStrictId(argv[index] as string));
  let acknowledged = 0;
  for (const id of ids) {
    if (!group.pel.has(id)) continue;
    if (acknowledged === 0) client.db.getForSilentWrite(key);
    group.acknowledge(id);
    acknowledged += 1;
  }
  markDirty(client, acknowledged);
  client.reply.integer(acknowledged);
}

function xpendingCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const groupName = argv[2] as string;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) throw new ReplyError(ERRORS.syntax);
  let minIdle = 0;
  let start = MIN_ID;
  let end = MIN_ID;
  let count = 0;
  let consumerName: string | null = null;
  if (argv.length >= 6) {
    let at = 3;
    if (isKeyword(argv[3], "IDLE")) {
      minIdle = clampToNumber(parseLongLong(argv[4] as string));
      if (argv.length < 8) throw new ReplyError(ERRORS.syntax);
      at += 2;
    }
    const parsedCount = parseLongLong(argv[at + 2] as string);
    count = parsedCount < 0n ? 0 : countOf(parsedCount);
    start = parseRangeStart(argv[at] as string);
    end = parseRangeEnd(argv[at + 1] as string);
    if (at + 3 < argv.length) consumerName = argv[at + 3] as string;
  }
  const stream = countLookup(client, client.db.getStream(key));
  const group = stream?.group(groupName);
  if (stream === undefined || group === undefined) throw new ReplyError(STREAM_ERRORS.noGroupForKey(key, groupName));
  const reply = client.reply;
  if (argv.length === 3) {
    reply.array(4);
    reply.integer(group.pel.size);
    if (group.pel.size === 0) {
      reply.nil();
      reply.nil();
      reply.nilArray();
      return;
    }
    reply.bulk(formatId(group.pel.firstKey() as StreamId));
    reply.bulk(formatId(group.pel.lastKey() as StreamId));
    const owners = group.sortedConsumers().filter((consumer) => consumer.pel.size > 0);
    reply.array(owners.length);
    for (const consumer of owners) {
      reply.array(2);
      reply.bulk(consumer.name);
      reply.bulk(String(consumer.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) {
      reply.array(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = Date.now();
  const rows: { id: StreamId; nack: StreamNack }[] = [];
  if (count > 0) {
    pel.walkFrom(start, (id, nack) => {
      if (id > end) return false;
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) return true;
      rows.push({ id, nack });
      return rows.length < count;
    });
  }
  reply.array(rows.length);
  for (const { id, nack } of rows) {
    reply.array(4);
    reply.bulk(formatId(id));
    reply.bulk(nack.consumer?.name ?? "");
    reply.integer(Math.max(0, now - nack.deliveryTime));
    reply.integer(nack.deliveryCount);
  }
}

const WRITE = ["@write", "@stream"] as const;

const XGROUP_SUBCOMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "create",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: [2, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: xgroupCommand,
  }),
  defineCommand({
    name: "createconsumer",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: [2, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: xgroupCommand,
  }),
  defineCommand({
    name: "delconsumer",
    arity: 5,
    flags: ["write"],
    keys: [2, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: xgroupCommand,
  }),
  defineCommand({
    name: "destroy",
    arity: 4,
    flags: ["write"],
    keys: [2, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: xgroupCommand,
  }),
  defineCommand({
    name: "setid",
    arity: -5,
    flags: ["write"],
    keys: [2, 2, 1],
    categories: [...WRITE, "@slow"],
    handler: xgroupCommand,
  }),
  defineCommand({
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    categories: ["@stream", "@slow"],
    handler: xgroupCommand,
  }),
];

/** XGROUP, XACK, XPENDING. */
export const STREAM_GROUP_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "xgroup",
    arity: -2,
    flags: ["write", "denyoom"],
    categories: ["@slow"],
    handler: xgroupCommand,
    subcommands: XGROUP_SUBCOMMANDS,
  }),
  defineCommand({
    name: "xack",
    arity: -4,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: [...WRITE, "@fast"],
    handler: xackCommand,
  }),
  defineCommand({
    name: "xpending",
    arity: -3,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: ["@read", "@stream", "@slow"],
    handler: xpendingCommand,
  }),
];
