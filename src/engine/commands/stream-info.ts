// XINFO STREAM [FULL [COUNT n]] / GROUPS / CONSUMERS / HELP with Redis 7.0's reply shapes (maps in
// RESP3, flat arrays in RESP2), including the radix-tree figures, read counters and lag.
import { ReplyError } from "../errors.ts";
import type { SortedIdMap } from "../keyspace/sorted-id-map.ts";
import { sortedGroups, type ConsumerGroup, type StreamNack } from "../keyspace/stream-groups.ts";
import { formatId, MAX_ID } from "../keyspace/stream-id.ts";
import { raxNodeCount } from "../keyspace/stream-rax.ts";
import type { StreamValue } from "../keyspace/stream-value.ts";
import type { ReplyWriter } from "../resp/reply-writer.ts";
import type { Client } from "../server/context-types.ts";
import { countLookup } from "./access.ts";
import { STREAM_ERRORS, parseLongLong } from "./stream-args.ts";
import { collectRange, groupLag, replyEntries, replyEntry, replyIntegerOrNil } from "./stream-reply.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const HELP = [
  "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
  "HELP",
  "    Prints this help.",
];

// A group's "last-delivered-id", "entries-read" (nil when unknown) and "lag" fields.
function replyGroupProgress(reply: ReplyWriter, stream: StreamValue, group: ConsumerGroup): void {
  reply.bulk("last-delivered-id");
  reply.bulk(formatId(group.lastId));
  reply.bulk("entries-read");
  if (group.entriesRead === -1n) reply.nil();
  else reply.integer(group.entriesRead);
  reply.bulk("lag");
  replyIntegerOrNil(reply, groupLag(stream, group));
}

function replyStreamHeader(reply: ReplyWriter, stream: StreamValue): void {
  reply.bulk("length");
  reply.integer(stream.length);
  reply.bulk("radix-tree-keys");
  reply.integer(stream.nodes.length);
  reply.bulk("radix-tree-nodes");
  reply.integer(raxNodeCount(stream.nodes.map((node) => node.masterId)));
  reply.bulk("last-generated-id");
  reply.bulk(formatId(stream.lastId));
  reply.bulk("max-deleted-entry-id");
  reply.bulk(formatId(stream.maxDeletedId));
  reply.bulk("entries-added");
  reply.integer(stream.entriesAdded);
  reply.bulk("recorded-first-entry-id");
  reply.bulk(formatId(stream.firstId));
}

function replyEdgeEntry(reply: ReplyWriter, stream: StreamValue, rev: boolean): void {
  const [edge] = collectRange(stream, 0n, MAX_ID, 1, rev);
  if (edge === undefined) reply.nil();
  else replyEntry(reply, edge.entry, edge.node);
}

// XINFO STREAM FULL's "pel-count" and "pending" fields of a group (entries name their consumer) or of
// a consumer: at most `count` entries (0 = all) as [id, (consumer,) delivery time, delivery count].
function replyPending(reply: ReplyWriter, pel: SortedIdMap<StreamNack>, count: number, withConsumer: boolean): void {
  reply.bulk("pel-count");
  reply.integer(pel.size);
  reply.bulk("pending");
  const pending = pel.entries();
  const shown = count === 0 ? pending : pending.slice(0, count);
  reply.array(shown.length);
  for (const [id, nack] of shown) {
    reply.array(withConsumer ? 4 : 3);
    reply.bulk(formatId(id));
    if (withConsumer) reply.bulk(nack.consumer?.name ?? "");
    reply.integer(nack.deliveryTime);
    reply.integer(nack.deliveryCount);
  }
}

function replyFullGroups(reply: ReplyWriter, stream: StreamValue, count: number): void {
  const groups = sortedGroups(stream.groups);
  reply.array(groups.length);
  for (const [name, group] of groups) {
    reply.map(7);
    reply.bulk("name");
    reply.bulk(name);
    replyGroupProgress(reply, stream, group);
    replyPending(reply, group.pel, count, true);
    reply.bulk("consumers");
    const consumers = group.sortedConsumers();
    reply.array(consumers.length);
    for (const consumer of consumers) {
      reply.map(4);
      reply.bulk("name");
      reply.bulk(consumer.name);
      reply.bulk("seen-time");
      reply.integer(consumer.seenTime);
      replyPending(reply, consumer.pel, count, false);
    }
  }
}

function streamInfo(client: Client, argv: string[], stream: StreamValue): void {
  const options = argv.slice(3);
  const reply = client.reply;
  let full = false;
  let count = 10;
  if (options.length > 0) {
    if ((options.length !== 1 && options.length !== 3) || (options[0] as string).toLowerCase() !== "full") {
      throw new ReplyError(STREAM_ERRORS.subcommandSyntax(argv[1] as string, "XINFO"));
    }
    if (options.length === 3) {
      if ((options[1] as string).toLowerCase() !== "count")
        throw new ReplyError(STREAM_ERRORS.subcommandSyntax(argv[1] as string, "XINFO"));
      const value = parseLongLong(options[2] as string);
      count = value < 0n ? 10 : value > 2147483647n ? Number.MAX_SAFE_INTEGER : Number(value);
    }
    full = true;
  }
  reply.map(full ? 9 : 10);
  replyStreamHeader(reply, stream);
  if (!full) {
    reply.bulk("groups");
    reply.integer(stream.groups?.size ?? 0);
    reply.bulk("first-entry");
    replyEdgeEntry(reply, stream, false);
    reply.bulk("last-entry");
    replyEdgeEntry(reply, stream, true);
    return;
  }
  reply.bulk("entries");
  replyEntries(reply, collectRange(stream, 0n, MAX_ID, count, false));
  reply.bulk("groups");
  replyFullGroups(reply, stream, count);
}

function groupsInfo(reply: ReplyWriter, stream: StreamValue): void {
  const groups = sortedGroups(stream.groups);
  reply.array(groups.length);
  for (const [name, group] of groups) {
    reply.map(6);
    reply.bulk("name");
    reply.bulk(name);
    reply.bulk("consumers");
    reply.integer(group.consumers.size);
    reply.bulk("pending");
    reply.integer(group.pel.size);
    replyGroupProgress(reply, stream, group);
  }
}

function consumersInfo(client: Client, key: string, groupName: string, stream: StreamValue): void {
  const group = stream.group(groupName);
  if (group === undefined) throw new ReplyError(STREAM_ERRORS.noGroupOnKey(groupName, key));
  const consumers = group.sortedConsumers();
  const now = Date.now();
  const reply = client.reply;
  reply.array(consumers.length);
  for (const consumer of consumers) {
    reply.map(3);
    reply.bulk("name");
    reply.bulk(consumer.name);
    reply.bulk("pending");
    reply.integer(consumer.pel.size);
    reply.bulk("idle");
    reply.integer(Math.max(0, now - consumer.seenTime));
  }
}

// Subcommand names and arities are validated by the dispatcher (XINFO_SUBCOMMANDS below).
function xinfoCommand(client: Client, argv: string[]): void {
  const sub = (argv[1] as string).toLowerCase();
  if (sub === "help") {
    client.reply.array(HELP.length);
    for (const line of HELP) client.reply.status(line);
    return;
  }
  const key = argv[2] as string;
  const stream = countLookup(client, client.db.getStream(key));
  if (stream === undefined) throw new ReplyError("ERR no such key");
  if (sub === "consumers") consumersInfo(client, key, argv[3] as string, stream);
  else if (sub === "groups") groupsInfo(client.reply, stream);
  else streamInfo(client, argv, stream);
}

const READ = ["@read", "@stream", "@slow"] as const;

const XINFO_SUBCOMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "consumers",
    arity: 4,
    flags: ["readonly"],
    keys: [2, 2, 1],
    categories: READ,
    handler: xinfoCommand,
  }),
  defineCommand({
    name: "groups",
    arity: 3,
    flags: ["readonly"],
    keys: [2, 2, 1],
    categories: READ,
    handler: xinfoCommand,
  }),
  defineCommand({
    name: "stream",
    arity: -3,
    flags: ["readonly"],
    keys: [2, 2, 1],
    categories: READ,
    handler: xinfoCommand,
  }),
  defineCommand({
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    categories: ["@stream", "@slow"],
    handler: xinfoCommand,
  }),
];

/** XINFO and its subcommands. */
export const STREAM_INFO_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "xinfo",
    arity: -2,
    categories: ["@slow"],
    handler: xinfoCommand,
    subcommands: XINFO_SUBCOMMANDS,
  }),
];
