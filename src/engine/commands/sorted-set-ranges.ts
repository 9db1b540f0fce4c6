// Sorted-set range commands: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES) and its older forms
// ZRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX, ZRANGESTORE, ZCOUNT ZLEXCOUNT,
// ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX. One parser mirrors Redis's zrangeGenericCommand.
import { ERRORS, ReplyError } from "../errors.ts";
import { markConverted } from "../keyspace/encoding.ts";
import { ZSetValue } from "../keyspace/values.ts";
import type { ZSetEntry } from "../keyspace/zset-value.ts";
import { parseInteger } from "./arguments.ts";
import { deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { readZSet, replyEntries, zsetInsert } from "./sorted-sets.ts";
import { lexRangeRanks, parseLexRange, parseScoreRange, rankRange, scoreRangeRanks } from "./zset-ranges.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

type RangeType = "rank" | "score" | "lex";

interface RangeRequest {
  readonly type: RangeType;
  readonly reverse: boolean;
  readonly withScores: boolean;
  readonly offset: number;
  /** -1 = no limit. */
  readonly limit: number;
  readonly minText: string;
  readonly maxText: string;
}

/** Parses the arguments after `key min max` (at argv[first]) for a preset or automatic type/direction. */
function parseRangeRequest(
  argv: readonly string[],
  first: number,
  presetType: RangeType | null,
  presetReverse: boolean | null,
  store = false,
): RangeRequest {
  let type: RangeType | null = presetType;
  let reverse: boolean | null = presetReverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  for (let index = first + 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toLowerCase();
    const left = argv.length - index - 1;
    if (!store && option === "withscores") withScores = true;
    else if (option === "limit" && left >= 2) {
      offset = parseInteger(argv[index + 1] as string);
      limit = parseInteger(argv[index + 2] as string);
      hasLimit = true;
      index += 2;
    } else if (reverse === null && option === "rev") reverse = true;
    else if (type === null && option === "bylex") type = "lex";
    else if (type === null && option === "byscore") type = "score";
    else throw new ReplyError(ERRORS.syntax);
  }
  const resolvedType = type ?? "rank";
  if (hasLimit && limit !== -1 && resolvedType === "rank")
    throw new ReplyError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  if (withScores && resolvedType === "lex")
    throw new ReplyError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  const isReverse = reverse ?? false;
  // Reversed score and lex ranges are given as max, min.
  const swap = isReverse && resolvedType !== "rank";
  const minText = argv[swap ? first + 2 : first + 1] as string;
  const maxText = argv[swap ? first + 1 : first + 2] as string;
  return { type: resolvedType, reverse: isReverse, withScores, offset, limit, minText, maxText };
}

/** Resolves a request against a sorted set: the entries in reply order. */
function selectEntries(zset: ZSetValue, request: RangeRequest, parsed: ParsedBounds): ZSetEntry[] {
  const length = zset.length;
  if (parsed.kind === "rank") {
    const range = rankRange(parsed.start, parsed.end, length);
    if (range === null) return [];
    if (!request.reverse) return zset.range(range[0], range[1]);
    return zset.range(length - 1 - range[1], length - 1 - range[0]).reverse();
  }
  const ranks = parsed.kind === "score" ? scoreRangeRanks(zset, parsed.range) : lexRangeRanks(zset, parsed.range);
  if (ranks === null || request.offset < 0 || request.limit === 0) return [];
  const entries = zset.range(ranks[0], ranks[1]);
  if (request.reverse) entries.reverse();
  const end = request.limit < 0 ? entries.length : request.offset + request.limit;
  return entries.slice(request.offset, end);
}

type ParsedBounds =
  | { kind: "rank"; start: number; end: number }
  | { kind: "score"; range: ReturnType<typeof parseScoreRange> }
  | { kind: "lex"; range: ReturnType<typeof parseLexRange> };

function parseBounds(request: RangeRequest): ParsedBounds {
  if (request.type === "rank")
    return { kind: "rank", start: parseInteger(request.minText), end: parseInteger(request.maxText) };
  if (request.type === "score") return { kind: "score", range: parseScoreRange(request.minText, request.maxText) };
  return { kind: "lex", range: parseLexRange(request.minText, request.maxText) };
}

function rangeCommand(presetType: RangeType | null, presetReverse: boolean | null) {
  return (client: Client, argv: string[]): void => {
    const request = parseRangeRequest(argv, 1, presetType, presetReverse);
    const bounds = parseBounds(request);
    const zset = readZSet(client, argv[1] as string);
    if (zset === undefined) {
      client.reply.array(0);
      return;
    }
    replyEntries(client, selectEntries(zset, request, bounds), request.withScores);
  };
}

function zrangestoreCommand(client: Client, argv: string[]): void {
  const request = parseRangeRequest(argv, 2, null, null, true);
  const bounds = parseBounds(request);
  const destination = argv[1] as string;
  const db = client.db;
  const source = readZSet(client, argv[2] as string);
  const entries = source === undefined ? [] : selectEntries(source, request, bounds);
  if (entries.length === 0) {
    if (db.delete(destination)) markDirty(client);
    client.reply.integer(0);
    return;
  }
  const stored = new ZSetValue();
  // A rank range of known length beyond the listpack limit starts as a skiplist, as in Redis.
  if (request.type === "rank" && entries.length > client.server.settings.zsetMaxListpackEntries) markConverted(stored);
  for (const entry of entries) zsetInsert(client, stored, entry.member, entry.score);
  db.set(destination, stored);
  markDirty(client);
  client.reply.integer(stored.length);
}

function countCommand(lex: boolean) {
  return (client: Client, argv: string[]): void => {
    const minText = argv[2] as string;
    const maxText = argv[3] as string;
    const ranks = (zset: ZSetValue): [number, number] | null =>
      lex
        ? lexRangeRanks(zset, parseLexRange(minText, maxText))
        : scoreRangeRanks(zset, parseScoreRange(minText, maxText));
    if (lex) parseLexRange(minText, maxText);
    else parseScoreRange(minText, maxText);
    const zset = readZSet(client, argv[1] as string);
    const found = zset === undefined ? null : ranks(zset);
    client.reply.integer(found === null ? 0 : found[1] - found[0] + 1);
  };
}

function removeRangeCommand(type: RangeType) {
  return (client: Client, argv: string[]): void => {
    const bounds = parseBounds({
      type,
      reverse: false,
      withScores: false,
      offset: 0,
      limit: -1,
      minText: argv[2] as string,
      maxText: argv[3] as string,
    });
    const key = argv[1] as string;
    const db = client.db;
    const zset = db.getZSet(key);
    if (zset === undefined) {
      client.reply.integer(0);
      return;
    }
    const ranks =
      bounds.kind === "rank"
        ? rankRange(bounds.start, bounds.end, zset.length)
        : bounds.kind === "score"
          ? scoreRangeRanks(zset, bounds.range)
          : lexRangeRanks(zset, bounds.range);
    if (ranks === null) {
      client.reply.integer(0);
      return;
    }
    touchForWrite(db, key);
    const doomed = zset.range(ranks[0], ranks[1]);
    for (const entry of doomed) zset.remove(entry.member);
    deleteIfEmpty(db, key, zset);
    markDirty(client, doomed.length);
    client.reply.integer(doomed.length);
  };
}

function spec(
  name: string,
  arity: number,
  write: boolean,
  handler: (client: Client, argv: string[]) => void,
  keys: readonly [number, number, number] = [1, 1, 1],
): CommandSpec {
  return defineCommand({
    name,
    arity,
    flags: write ? ["write", "denyoom"] : ["readonly"],
    keys,
    categories: [write ? "@write" : "@read", "@sortedset", "@slow"],
    handler,
  });
}

/** Sorted-set range command specs. */
export const SORTED_SET_RANGE_COMMANDS: readonly CommandSpec[] = [
  spec("zrange", -4, false, rangeCommand(null, null)),
  spec("zrangestore", -5, true, zrangestoreCommand, [1, 2, 1]),
  spec("zrangebyscore", -4, false, rangeCommand("score", false)),
  spec("zrevrange", -4, false, rangeCommand("rank", true)),
  spec("zrevrangebyscore", -4, false, rangeCommand("score", true)),
  spec("zrangebylex", -4, false, rangeCommand("lex", false)),
  spec("zrevrangebylex", -4, false, rangeCommand("lex", true)),
  defineCommand({
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@sortedset", "@fast"],
    handler: countCommand(false),
  }),
  defineCommand({
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: [1, 1, 1],
    categories: ["@read", "@sortedset", "@fast"],
    handler: countCommand(true),
  }),
  defineCommand({
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: ["@write", "@sortedset", "@slow"],
    handler: removeRangeCommand("rank"),
  }),
  defineCommand({
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: ["@write", "@sortedset", "@slow"],
    handler: removeRangeCommand("score"),
  }),
  defineCommand({
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: [1, 1, 1],
    categories: ["@write", "@sortedset", "@slow"],
    handler: removeRangeCommand("lex"),
  }),
];
