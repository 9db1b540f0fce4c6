// Stream commands on entries: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID (t_stream.c, Redis 7.0).
// Propagation as Redis: XADD with the ID it generated and "~" trims as "=" with the resulting
// length / first ID, so that replaying the AOF rebuilds the same stream.
import { ERRORS, ReplyError } from "../errors.ts";
import { formatId, idMs, idSeq, makeId, MAX_ID, MIN_ID, UINT64_MAX, type StreamId } from "../keyspace/stream-id.ts";
import { STREAM_LISTPACK_MAX_SIZE, StreamValue } from "../keyspace/stream-value.ts";
import type { Client } from "../server/context-types.ts";
import { countLookup, markDirty } from "./access.ts";
import { isKeyword } from "./arguments.ts";
import {
  countOf,
  nodeLimits,
  parseAddTrimArgs,
  parseLongLong,
  parseRangeEnd,
  parseRangeStart,
  parseStrictId,
  type AddTrimArgs,
} from "./stream-args.ts";
import { collectRange, replyEntries } from "./stream-reply.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

// The ID XADD uses: "*" from the clock (never behind the last ID), "<ms>-*" the next seq in that ms.
function chooseId(stream: StreamValue, args: AddTrimArgs): StreamId {
  const last = stream.lastId;
  let id: StreamId;
  if (args.id === null) {
    const now = BigInt(Date.now());
    id = now > idMs(last) ? makeId(now, 0n) : last + 1n;
  } else if (args.id.seqGiven) {
    id = args.id.id;
  } else {
    const ms = idMs(args.id.id);
    if (ms === idMs(last)) {
      if (idSeq(last) === UINT64_MAX) throw new ReplyError("ERR Elements are too large to be stored");
      id = last + 1n;
    } else id = makeId(ms, 0n);
  }
  if (id <= last)
    throw new ReplyError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
  return id;
}

// Rewrites a "~" trim in argv to the "=" form of what it actually did (streamRewriteTrimArgument).
function rewriteApproxTrim(argv: string[], args: AddTrimArgs, stream: StreamValue): void {
  const trim = args.trim;
  if (trim === null || !trim.approx) return;
  argv[args.trimArgIndex - 1] = "=";
  argv[args.trimArgIndex] =
    trim.strategy === "maxlen" ? String(stream.length) : formatId(stream.edgeId(true, false) ?? MAX_ID);
}

function xaddCommand(client: Client, argv: string[]): void {
  const limits = nodeLimits(client);
  const args = parseAddTrimArgs(argv, true, client.isFake, limits.maxEntries);
  const fieldsFrom = args.idIndex + 1;
  if (argv.length - fieldsFrom < 2 || (argv.length - fieldsFrom) % 2 === 1) throw new ReplyError(ERRORS.arity("xadd"));
  if (args.id !== null && args.id.seqGiven && args.id.id === MIN_ID)
    throw new ReplyError("ERR The ID specified in XADD must be greater than 0-0");
  const key = argv[1] as string;
  const db = client.db;
  let stream = db.getStream(key, true);
  if (stream === undefined) {
    if (args.noMakeStream) {
      client.reply.nil();
      return;
    }
    stream = new StreamValue();
    db.set(key, stream);
  }
  if (stream.lastId === MAX_ID)
    throw new ReplyError("ERR The stream has exhausted the last possible ID, unable to add more items");
  const id = chooseId(stream, args);
  let total = 0;
  for (let index = fieldsFrom; index < argv.length; index += 1) total += (argv[index] as string).length;
  if (total > STREAM_LISTPACK_MAX_SIZE) throw new ReplyError("ERR Elements are too large to be stored");
  stream.append(id, argv, fieldsFrom, limits);
  client.reply.bulk(formatId(id));
  markDirty(client);
  const propagated = argv.slice();
  if (args.trim !== null) {
    stream.trim(args.trim);
    rewriteApproxTrim(propagated, args, stream);
  }
  if (args.id === null || !args.id.seqGiven) propagated[args.idIndex] = formatId(id);
  client.propagate(propagated);
}

function xrangeGeneric(client: Client, argv: string[], rev: boolean): void {
  const start = parseRangeStart((rev ? argv[3] : argv[2]) as string);
  const end = parseRangeEnd((rev ? argv[2] : argv[3]) as string);
  let count = -1;
  for (let index = 4; index < argv.length; index += 1) {
    if (isKeyword(argv[index], "COUNT") && index + 1 < argv.length) {
      const value = parseLongLong(argv[index + 1] as string);
      count = value < 0n ? 0 : countOf(value);
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const stream = countLookup(client, client.db.getStream(argv[1] as string));
  if (stream === undefined) {
    client.reply.array(0);
    return;
  }
  if (count === 0) {
    client.reply.nilArray();
    return;
  }
  replyEntries(client.reply, collectRange(stream, start, end, count === -1 ? 0 : count, rev));
}

function xlenCommand(client: Client, argv: string[]): void {
  const stream = countLookup(client, client.db.getStream(argv[1] as string));
  client.reply.integer(stream === undefined ? 0 : stream.length);
}

function xdelCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const stream = client.db.getStream(key);
  if (stream === undefined) {
    client.reply.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let index = 2; index < argv.length; index += 1) ids.push(parseStrictId(argv[index] as string));
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    if (stream.find(id) === null) continue;
    if (deleted === 0) client.db.getForWrite(key);
    stream.delete(id);
    if (id === stream.firstId) firstDeleted = true;
    if (id > stream.maxDeletedId) stream.maxDeletedId = id;
    deleted += 1;
  }
  if (deleted > 0) {
    if (stream.length === 0) stream.firstId = MIN_ID;
    else if (firstDeleted) stream.firstId = stream.edgeId(true, true) ?? MIN_ID;
    markDirty(client, deleted);
  }
  client.reply.integer(deleted);
}

function xtrimCommand(client: Client, argv: string[]): void {
  const args = parseAddTrimArgs(argv, false, client.isFake, nodeLimits(client).maxEntries);
  const key = argv[1] as string;
  const stream = client.db.getStream(key);
  if (stream === undefined) {
    client.reply.integer(0);
    return;
  }
  // Snapshots keep the stream as it was; WATCH is told only if something was trimmed (below).
  client.db.getForSilentWrite(key);
  const deleted = stream.trim(args.trim as NonNullable<AddTrimArgs["trim"]>);
  if (deleted > 0) {
    client.db.getForWrite(key);
    const propagated = argv.slice();
    rewriteApproxTrim(propagated, args, stream);
    client.propagate(propagated);
    markDirty(client, deleted);
  }
  client.reply.integer(deleted);
}

function xsetidCommand(client: Client, argv: string[]): void {
  const id = parseStrictId(argv[2] as string);
  let entriesAdded = -1n;
  let maxDeleted = MIN_ID;
  for (let index = 3; index < argv.length; index += 1) {
    const moreArgs = argv.length - 1 - index;
    if (isKeyword(argv[index], "ENTRIESADDED") && moreArgs > 0) {
      entriesAdded = parseLongLong(argv[index + 1] as string);
      if (entriesAdded < 0n) throw new ReplyError("ERR entries_added must be positive");
      index += 1;
    } else if (isKeyword(argv[index], "MAXDELETEDID") && moreArgs > 0) {
      maxDeleted = parseStrictId(argv[index + 1] as string);
      if (id < maxDeleted)
        throw new ReplyError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      index += 1;
    } else throw new ReplyError(ERRORS.syntax);
  }
  const key = argv[1] as string;
  const stream = client.db.getStream(key);
  if (stream === undefined) throw new ReplyError(ERRORS.noSuchKey);
  if (stream.length > 0) {
    if (id < stream.lastValidId())
      throw new ReplyError("ERR The ID specified in XSETID is smaller than the target stream top item");
    if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded)
      throw new ReplyError("ERR The entries_added specified in XSETID is smaller than the target stream length");
  }
  client.db.getForSilentWrite(key);
  stream.lastId = id;
  if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
  if (maxDeleted !== MIN_ID) stream.maxDeletedId = maxDeleted;
  client.reply.ok();
  markDirty(client);
}

const STREAM_WRITE = ["@write", "@stream"] as const;
const STREAM_READ = ["@read", "@stream"] as const;

/** XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID. */
export const STREAM_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "xadd",
    arity: -5,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: [...STREAM_WRITE, "@fast"],
    handler: xaddCommand,
  }),
  defineCommand({
    name: "xrange",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: [...STREAM_READ, "@slow"],
    handler: (client, argv) => xrangeGeneric(client, argv, false),
  }),
  defineCommand({
    name: "xrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: [...STREAM_READ, "@slow"],
    handler: (client, argv) => xrangeGeneric(client, argv, true),
  }),
  defineCommand({
    name: "xlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: [...STREAM_READ, "@fast"],
    handler: xlenCommand,
  }),
  defineCommand({
    name: "xdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: [...STREAM_WRITE, "@fast"],
    handler: xdelCommand,
  }),
  defineCommand({
    name: "xtrim",
    arity: -4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: [...STREAM_WRITE, "@slow"],
    handler: xtrimCommand,
  }),
  defineCommand({
    name: "xsetid",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: [1, 1, 1],
    categories: [...STREAM_WRITE, "@fast"],
    handler: xsetidCommand,
  }),
];
