// XREAD and XREADGROUP (xreadCommand in t_stream.c): option parsing, then per stream the entries
// after the given ID ("$" the stream's last ID, ">" the group's last delivered ID, any other ID a
// group consumer's own history). What cannot be served at once waits when BLOCK is given, on the
// server's blocking registry (server/blocking.ts), served by the first write that moves a stream's
// last ID past what the client waits for (serveClientsBlockedOnStreamKey). XREADGROUP is propagated
// only through the XCLAIM / XGROUP commands its reads imply.
import { ERRORS, ReplyError } from "../errors.ts";
import type { ConsumerGroup, StreamConsumer } from "../keyspace/stream-groups.ts";
import { MAX_ID, MIN_ID, type StreamId } from "../keyspace/stream-id.ts";
import { StreamValue } from "../keyspace/stream-value.ts";
import type { Client } from "../server/context-types.ts";
import { countLookup, markDirty } from "./access.ts";
import { cText, countOf, parseLongLong, parseStrictId } from "./stream-args.ts";
import {
  readForGroup,
  readHistory,
  readPlain,
  replyReadResults,
  type ReadItem,
  type ReadResult,
} from "./stream-delivery.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** XREAD_BLOCKED_DEFAULT_COUNT: a blocked read with no COUNT serves at most this many entries. */
export const BLOCKED_DEFAULT_COUNT = 1000;

/** A parsed XREAD / XREADGROUP. */
export interface ReadRequest {
  readonly group: { readonly name: string; readonly consumer: string } | null;
  readonly noack: boolean;
  /** Entries per stream, 0 = no limit. */
  readonly count: number;
  /** BLOCK in ms (0 = forever), or null without BLOCK. */
  readonly blockMs: number | null;
  readonly keys: readonly string[];
  /** Per key: serve IDs greater than this; MAX_ID stands for ">". */
  readonly ids: StreamId[];
}

// Parses the options up to STREAMS (IDs are resolved against the keys afterwards).
function parseOptions(
  argv: readonly string[],
  isGroup: boolean,
): { count: number; blockMs: number | null; group: ReadRequest["group"]; noack: boolean; streamsAt: number } {
  let count = 0;
  let blockMs: number | null = null;
  let group: ReadRequest["group"] = null;
  let noack = false;
  let streamsAt = 0;
  for (let index = 1; index < argv.length; index += 1) {
    const moreArgs = argv.length - index - 1;
    const option = (argv[index] as string).toUpperCase();
    if (option === "BLOCK" && moreArgs > 0) {
      index += 1;
      const timeout = parseLongLong(argv[index] as string, "ERR timeout is not an integer or out of range");
      if (timeout < 0n) throw new ReplyError("ERR timeout is negative");
      blockMs = countOf(timeout);
    } else if (option === "COUNT" && moreArgs > 0) {
      index += 1;
      const value = parseLongLong(argv[index] as string);
      count = value < 0n ? 0 : countOf(value);
    } else if (option === "STREAMS" && moreArgs > 0) {
      streamsAt = index + 1;
      if ((argv.length - streamsAt) % 2 !== 0) {
        throw new ReplyError(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        );
      }
      break;
    } else if (option === "GROUP" && moreArgs >= 2) {
      if (!isGroup)
        throw new ReplyError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
      group = { name: argv[index + 1] as string, consumer: argv[index + 2] as string };
      index += 2;
    } else if (option === "NOACK") {
      if (!isGroup)
        throw new ReplyError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
      noack = true;
    } else throw new ReplyError(ERRORS.syntax);
  }
  if (streamsAt === 0) throw new ReplyError(ERRORS.syntax);
  if (isGroup && group === null) throw new ReplyError("ERR Missing GROUP option for XREADGROUP");
  return { count, blockMs, group, noack, streamsAt };
}

/** Parses XREAD / XREADGROUP and resolves each stream's starting ID ("$", ">", or an ID). */
export function parseReadRequest(client: Client, argv: readonly string[], isGroup: boolean): ReadRequest {
  const options = parseOptions(argv, isGroup);
  const streamCount = (argv.length - options.streamsAt) / 2;
  const keys = argv.slice(options.streamsAt, options.streamsAt + streamCount);
  const ids: StreamId[] = [];
  for (let index = 0; index < streamCount; index += 1) {
    const key = keys[index] as string;
    const idText = argv[options.streamsAt + streamCount + index] as string;
    const stream = countLookup(client, client.db.getStream(key));
    if (options.group !== null && (stream === undefined || stream.group(options.group.name) === undefined)) {
      throw new ReplyError(
        `NOGROUP No such key '${cText(key)}' or consumer group '${cText(options.group.name)}' in XREADGROUP with GROUP option`,
      );
    }
    if (idText === "$") {
      if (isGroup) {
        throw new ReplyError(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
        );
      }
      ids.push(stream === undefined ? MIN_ID : stream.lastId);
    } else if (idText === ">") {
      if (!isGroup)
        throw new ReplyError(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        );
      ids.push(MAX_ID);
    } else ids.push(parseStrictId(idText));
  }
  return { group: options.group, noack: options.noack, count: options.count, blockMs: options.blockMs, keys, ids };
}

/**
 * Serves what can be served now; returns the results (empty when nothing could be served). Group state
 * changes and their propagation go through `propagate`; `count` overrides the request's (blocked reads).
 */
export function serveRead(
  client: Client,
  request: ReadRequest,
  propagate: string[][],
  count = request.count,
): ReadResult[] {
  const results: ReadResult[] = [];
  const now = Date.now();
  for (let index = 0; index < request.keys.length; index += 1) {
    const key = request.keys[index] as string;
    const stream = countLookup(client, client.db.getStream(key));
    if (stream === undefined) continue;
    const requested = request.ids[index] as StreamId;
    const items =
      request.group === null
        ? servePlain(stream, requested, count)
        : serveGroup(client, request, stream, key, requested, count, now, propagate);
    if (items !== null) results.push({ key, items });
  }
  return results;
}

function servePlain(stream: StreamValue, after: StreamId, count: number): ReadItem[] | null {
  if (stream.length === 0 || stream.lastValidId() <= after) return null;
  return readPlain(stream, after + 1n, count);
}

// The reading consumer of a group read at key, its seen time set to now; created when new (under
// NOACK the creation propagates as XGROUP CREATECONSUMER, as no XCLAIM will carry it).
function seenConsumer(
  client: Client,
  request: ReadRequest,
  group: ConsumerGroup,
  key: string,
  now: number,
  propagate: string[][],
): StreamConsumer {
  const names = request.group as NonNullable<ReadRequest["group"]>;
  client.db.getForSilentWrite(key);
  const existing = group.consumers.get(names.consumer);
  if (existing !== undefined) {
    existing.seenTime = now;
    return existing;
  }
  const consumer = group.createConsumer(names.consumer, now) as StreamConsumer;
  markDirty(client);
  if (request.noack) propagate.push(["XGROUP", "CREATECONSUMER", key, names.name, names.consumer]);
  return consumer;
}

function serveGroup(
  client: Client,
  request: ReadRequest,
  stream: StreamValue,
  key: string,
  requested: StreamId,
  count: number,
  now: number,
  propagate: string[][],
): ReadItem[] | null {
  const names = request.group as NonNullable<ReadRequest["group"]>;
  const group = stream.group(names.name) as ConsumerGroup;
  const history = requested !== MAX_ID;
  let after = requested;
  if (!history) {
    if (stream.length === 0 || stream.lastValidId() <= group.lastId) return null;
    after = group.lastId;
  }
  const consumer = seenConsumer(client, request, group, key, now, propagate);
  markDirty(client);
  const start = after === MAX_ID ? MIN_ID : after + 1n;
  if (history) return readHistory(stream, consumer, start, count, now);
  return readForGroup(
    stream,
    { key, groupName: names.name, group, consumer, noack: request.noack, now, propagate },
    start,
    count,
  );
}

// Serves a blocked reader from `key` once its stream moved past the waited-for ID; false to keep waiting.
function serveBlocked(request: ReadRequest, count: number): (client: Client, key: string) => boolean {
  return (client, key) => {
    const value = client.db.get(key);
    if (!(value instanceof StreamValue)) {
      if (request.group !== null) throw new ReplyError("UNBLOCKED the stream key no longer exists");
      return false;
    }
    const index = request.keys.indexOf(key);
    let after = request.ids[index] as StreamId;
    const names = request.group;
    const group = names === null ? undefined : value.group(names.name);
    if (names !== null) {
      if (group === undefined)
        throw new ReplyError("NOGROUP the consumer group this client was blocked on no longer exists");
      after = group.lastId;
    }
    if (value.lastId <= after) return false;
    const start = after + 1n;
    let items: ReadItem[];
    const propagate: string[][] = [];
    if (names === null || group === undefined) items = readPlain(value, start, count);
    else {
      const now = Date.now();
      const consumer = seenConsumer(client, request, group, key, now, propagate);
      items = readForGroup(
        value,
        { key, groupName: names.name, group, consumer, noack: request.noack, now, propagate },
        start,
        count,
      );
      client.forcePropagation = true;
    }
    client.propagate(...propagate);
    replyReadResults(client.reply, [{ key, items }]);
    return true;
  };
}

function xreadGeneric(client: Client, argv: string[], isGroup: boolean): void {
  const request = parseReadRequest(client, argv, isGroup);
  const propagate: string[][] = [];
  const results = serveRead(client, request, propagate);
  client.propagate(...propagate);
  if (results.length > 0) {
    replyReadResults(client.reply, results);
    return;
  }
  const blocking = client.server.blocking;
  if (request.blockMs === null || !blocking.mayBlock(client)) {
    client.reply.nilArray();
    return;
  }
  const deadlineMs = request.blockMs === 0 ? 0 : Date.now() + request.blockMs;
  const count = request.count === 0 ? BLOCKED_DEFAULT_COUNT : request.count;
  blocking.block(client, { keys: request.keys, deadlineMs, tryServe: serveBlocked(request, count) }, argv);
}

/** COMMAND GETKEYS: the keys after STREAMS (the first half of what follows it). */
function streamsKeys(argv: readonly string[], searchFrom: number): string[] {
  for (let index = searchFrom; index < argv.length; index += 1) {
    if ((argv[index] as string).toUpperCase() !== "STREAMS") continue;
    const rest = argv.length - index - 1;
    return argv.slice(index + 1, index + 1 + Math.floor(rest / 2));
  }
  return [];
}

/** XREAD handler. */
export function xreadCommand(client: Client, argv: string[]): void {
  xreadGeneric(client, argv, false);
}

/** XREADGROUP handler. */
export function xreadgroupCommand(client: Client, argv: string[]): void {
  xreadGeneric(client, argv, true);
}

/** XREAD and XREADGROUP (keys follow STREAMS: movable, so no fixed key positions). */
export const STREAM_READ_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "xread",
    arity: -4,
    flags: ["readonly", "blocking"],
    categories: ["@read", "@stream", "@slow", "@blocking"],
    handler: xreadCommand,
    getKeys: (argv) => streamsKeys(argv, 1),
  }),
  defineCommand({
    name: "xreadgroup",
    arity: -7,
    flags: ["write", "blocking"],
    categories: ["@write", "@stream", "@slow", "@blocking"],
    handler: xreadgroupCommand,
    getKeys: (argv) => streamsKeys(argv, 4),
  }),
];
