// XCLAIM and XAUTOCLAIM (t_stream.c): hand pending entries to another consumer, with IDLE / TIME /
// RETRYCOUNT / FORCE / JUSTID / LASTID, and drop pending entries whose stream entry is gone. Each change
// is propagated as an idempotent XCLAIM (and a group-ID change as XGROUP SETID), never as the command.
import { ERRORS, ReplyError } from "../errors.ts";
import { incrementCount, StreamNack, type ConsumerGroup, type StreamConsumer } from "../keyspace/stream-groups.ts";
import { formatId, MIN_ID, parseStreamId, type StreamId } from "../keyspace/stream-id.ts";
import type { StreamValue } from "../keyspace/stream-value.ts";
import type { Client } from "../server/context-types.ts";
import { markDirty } from "./access.ts";
import { isKeyword } from "./arguments.ts";
import { clampToNumber, parseLongLong, parseRangeStart, parseStrictId, STREAM_ERRORS } from "./stream-args.ts";
import { setIdPropagation, xclaimPropagation } from "./stream-delivery.ts";
import { replyEntry } from "./stream-reply.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

// The stream and group named by argv[1] and argv[2], or NOGROUP.
function lookupGroup(client: Client, argv: readonly string[]): { stream: StreamValue; group: ConsumerGroup } {
  const key = argv[1] as string;
  const stream = client.db.getStream(key);
  const group = stream?.group(argv[2] as string);
  if (stream === undefined || group === undefined)
    throw new ReplyError(STREAM_ERRORS.noGroupForKey(key, argv[2] as string));
  return { stream, group };
}

// The claiming consumer, created on first use (a write of its own, as streamCreateConsumer's dirty++).
function claimer(client: Client, group: ConsumerGroup, name: string, now: number): StreamConsumer {
  const existing = group.consumers.get(name);
  if (existing !== undefined) {
    existing.seenTime = now;
    return existing;
  }
  markDirty(client);
  return group.createConsumer(name, now) as StreamConsumer;
}

// Moves a pending entry to `consumer`.
function reassign(nack: StreamNack, id: StreamId, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.delete(id);
  consumer.pel.set(id, nack);
  nack.consumer = consumer;
}

function replyClaimed(client: Client, stream: StreamValue, id: StreamId, justId: boolean): void {
  if (justId) client.reply.bulk(formatId(id));
  else {
    const found = stream.find(id);
    if (found !== null) replyEntry(client.reply, found.entry, found.node);
  }
}

interface ClaimOptions {
  force: boolean;
  justId: boolean;
  deliveryTime: number;
  retryCount: bigint | null;
  lastId: StreamId;
}

// The options after the IDs (the first argument that is not an ID starts them).
function parseClaimOptions(argv: readonly string[], from: number, now: number): ClaimOptions {
  const options: ClaimOptions = { force: false, justId: false, deliveryTime: -1, retryCount: null, lastId: MIN_ID };
  for (let index = from; index < argv.length; index += 1) {
    const moreArgs = argv.length - 1 - index;
    const option = argv[index] as string;
    if (isKeyword(option, "FORCE")) options.force = true;
    else if (isKeyword(option, "JUSTID")) options.justId = true;
    else if (isKeyword(option, "IDLE") && moreArgs > 0) {
      index += 1;
      options.deliveryTime =
        now - clampToNumber(parseLongLong(argv[index] as string, "ERR Invalid IDLE option argument for XCLAIM"));
    } else if (isKeyword(option, "TIME") && moreArgs > 0) {
      index += 1;
      options.deliveryTime = clampToNumber(
        parseLongLong(argv[index] as string, "ERR Invalid TIME option argument for XCLAIM"),
      );
    } else if (isKeyword(option, "RETRYCOUNT") && moreArgs > 0) {
      index += 1;
      options.retryCount = parseLongLong(argv[index] as string, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
    } else if (isKeyword(option, "LASTID") && moreArgs > 0) {
      index += 1;
      options.lastId = parseStrictId(argv[index] as string);
    } else throw new ReplyError(`ERR Unrecognized XCLAIM option '${option}'`);
  }
  if (options.deliveryTime === -1 || options.deliveryTime < 0 || options.deliveryTime > now) options.deliveryTime = now;
  return options;
}

function xclaimCommand(client: Client, argv: string[]): void {
  const { stream, group } = lookupGroup(client, argv);
  const minIdle = Math.max(
    0,
    clampToNumber(parseLongLong(argv[4] as string, "ERR Invalid min-idle-time argument for XCLAIM")),
  );
  const ids: { id: StreamId; text: string }[] = [];
  let index = 5;
  for (; index < argv.length; index += 1) {
    const parsed = parseStreamId(argv[index] as string, { strict: true, missingSeq: 0n });
    if (parsed === null) break;
    ids.push({ id: parsed.id, text: argv[index] as string });
  }
  const now = Date.now();
  const options = parseClaimOptions(argv, index, now);
  const key = argv[1] as string;
  const groupName = argv[2] as string;
  const propagate: string[][] = [];
  client.db.getForSilentWrite(key);
  let propagateLastId = false;
  if (options.lastId > group.lastId) {
    group.lastId = options.lastId;
    propagateLastId = true;
  }
  let consumer: StreamConsumer | null = null;
  const claimed: StreamId[] = [];
  for (const { id, text } of ids) {
    let nack = group.pel.get(id);
    if (stream.find(id) === null) {
      if (nack !== undefined) {
        propagate.push(xclaimPropagation(key, groupName, group, text, nack));
        propagateLastId = false;
        markDirty(client);
        group.acknowledge(id);
      }
      continue;
    }
    if (options.force && nack === undefined) {
      nack = new StreamNack(now, 1, null);
      group.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= claimer(client, group, argv[3] as string, now);
    nack.deliveryTime = options.deliveryTime;
    if (options.retryCount !== null && options.retryCount >= 0n) {
      const retries = options.retryCount;
      nack.deliveryCount = retries <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(retries) : retries;
    } else if (!options.justId) nack.deliveryCount = incrementCount(nack.deliveryCount);
    reassign(nack, id, consumer);
    claimed.push(id);
    propagate.push(xclaimPropagation(key, groupName, group, text, nack));
    propagateLastId = false;
    markDirty(client);
  }
  if (propagateLastId) {
    propagate.push(setIdPropagation(key, groupName, group));
    markDirty(client);
  }
  client.propagate(...propagate);
  client.reply.array(claimed.length);
  for (const id of claimed) replyClaimed(client, stream, id, options.justId);
}

function xautoclaimCommand(client: Client, argv: string[]): void {
  const minIdle = Math.max(
    0,
    clampToNumber(parseLongLong(argv[4] as string, "ERR Invalid min-idle-time argument for XAUTOCLAIM")),
  );
  const start = parseRangeStart(argv[5] as string);
  let count = 100;
  let justId = false;
  for (let index = 6; index < argv.length; index += 1) {
    const moreArgs = argv.length - 1 - index;
    if (isKeyword(argv[index], "COUNT") && moreArgs > 0) {
      const value = parseLongLong(argv[index + 1] as string, "ERR COUNT must be > 0");
      if (value < 1n || value > 576460752303423487n) throw new ReplyError("ERR COUNT must be > 0");
      count = clampToNumber(value);
      index += 1;
    } else if (isKeyword(argv[index], "JUSTID")) justId = true;
    else throw new ReplyError(ERRORS.syntax);
  }
  const { stream, group } = lookupGroup(client, argv);
  const key = argv[1] as string;
  const groupName = argv[2] as string;
  const now = Date.now();
  const propagate: string[][] = [];
  const claimed: StreamId[] = [];
  const deleted: StreamId[] = [];
  let attempts = count * 10;
  let consumer: StreamConsumer | null = null;
  let lastExamined: StreamId | null = null;
  client.db.getForSilentWrite(key);
  group.pel.walkFrom(start, (id, nack) => {
    if (attempts === 0 || count === 0) return false;
    attempts -= 1;
    lastExamined = id;
    if (stream.find(id) === null) {
      propagate.push(xclaimPropagation(key, groupName, group, formatId(id), nack));
      markDirty(client);
      group.acknowledge(id);
      deleted.push(id);
      count -= 1;
      return true;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) return true;
    consumer ??= claimer(client, group, argv[3] as string, now);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount = incrementCount(nack.deliveryCount);
    reassign(nack, id, consumer);
    claimed.push(id);
    count -= 1;
    propagate.push(xclaimPropagation(key, groupName, group, formatId(id), nack));
    markDirty(client);
    return true;
  });
  let cursor = MIN_ID;
  const examined = lastExamined as StreamId | null;
  if (examined !== null) {
    group.pel.walkFrom(examined + 1n, (id) => {
      cursor = id;
      return false;
    });
  }
  client.propagate(...propagate);
  const reply = client.reply;
  reply.array(3);
  reply.bulk(formatId(cursor));
  reply.array(claimed.length);
  for (const id of claimed) replyClaimed(client, stream, id, justId);
  reply.bulkArray(deleted.map(formatId));
}

const WRITE = ["@write", "@stream", "@fast"] as const;

/** XCLAIM and XAUTOCLAIM. */
export const STREAM_CLAIM_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "xclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: xclaimCommand,
  }),
  defineCommand({
    name: "xautoclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: xautoclaimCommand,
  }),
];
