// Sorted-set commands on members: ZADD (NX XX GT LT CH INCR) ZINCRBY ZSCORE ZMSCORE ZCARD ZRANK
// ZREVRANK ZREM ZPOPMIN ZPOPMAX ZRANDMEMBER ZSCAN. Range commands live in sorted-set-ranges.ts.
import { ERRORS, ReplyError } from "../errors.ts";
import { encodingOf, isCompact, markConverted, noteZSetAdd } from "../keyspace/encoding.ts";
import { ZSetValue } from "../keyspace/values.ts";
import type { ZSetEntry } from "../keyspace/zset-value.ts";
import { matchGlob } from "../util/glob.ts";
import { isKeyword, parseFloatArg, parsePositiveCount, parseRangedInteger } from "./arguments.ts";
import { countLookup, deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { pickDistinct, pickOne, randomIndex } from "./random-pick.ts";
import { parkScan, parseScanCursor, parseScanOptions, resumeScan, takeFrom } from "./scan-cursor.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const LONG_MAX = 9223372036854775807n;
const NAN_ERROR = "ERR resulting score is not a number (NaN)";

/** Reads a sorted set counting hits/misses; WRONGTYPE for other kinds. */
export function readZSet(client: Client, key: string): ZSetValue | undefined {
  return countLookup(client, client.db.getZSet(key));
}

/** Inserts or updates a member, tracking the encoding; listpack-encoded sets store -0 as 0 as Redis does. */
export function zsetInsert(client: Client, zset: ZSetValue, member: string, score: number): boolean {
  const settings = client.server.settings;
  let value = score;
  if (Object.is(score, -0) && encodingOf(zset, settings) === "listpack") {
    // A new member that crosses a threshold converts the set to a skiplist before it is inserted.
    const converts =
      zset.score(member) === undefined &&
      (zset.length + 1 > settings.zsetMaxListpackEntries || member.length > settings.zsetMaxListpackValue);
    if (!converts) value = 0;
  }
  const added = zset.add(member, value);
  if (added) noteZSetAdd(zset, settings, member);
  return added;
}

/** Writes member/score pairs: flat in RESP2, nested pairs in RESP3 when `nested`. */
export function replyEntries(client: Client, entries: readonly ZSetEntry[], withScores: boolean, nested = true): void {
  const reply = client.reply;
  if (withScores && nested && reply.protocol === 3) {
    reply.array(entries.length);
    for (const entry of entries) {
      reply.array(2);
      reply.bulk(entry.member);
      reply.double(entry.score);
    }
    return;
  }
  reply.array(withScores ? entries.length * 2 : entries.length);
  for (const entry of entries) {
    reply.bulk(entry.member);
    if (withScores) reply.double(entry.score);
  }
}

function zaddGeneric(client: Client, argv: string[], incrementOnly: boolean): void {
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrementOnly;
  let scoreIndex = 2;
  if (!incrementOnly) {
    for (; scoreIndex < argv.length; scoreIndex += 1) {
      const option = (argv[scoreIndex] as string).toLowerCase();
      if (option === "nx") nx = true;
      else if (option === "xx") xx = true;
      else if (option === "ch") ch = true;
      else if (option === "incr") incr = true;
      else if (option === "gt") gt = true;
      else if (option === "lt") lt = true;
      else break;
    }
  }
  const remaining = argv.length - scoreIndex;
  if (remaining % 2 !== 0 || remaining === 0) throw new ReplyError(ERRORS.syntax);
  const pairs = remaining / 2;
  if (xx && nx) throw new ReplyError("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt))
    throw new ReplyError("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && pairs > 1) throw new ReplyError("ERR INCR option supports a single increment-element pair");
  const scores: number[] = [];
  for (let pair = 0; pair < pairs; pair += 1) scores.push(parseFloatArg(argv[scoreIndex + pair * 2] as string));
  const key = argv[1] as string;
  const db = client.db;
  let zset = db.getZSet(key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  if (zset === undefined && !xx) {
    zset = new ZSetValue();
    const settings = client.server.settings;
    // Redis 7.0 creates a skiplist only when listpacks are off or the first member is too long.
    if (
      settings.zsetMaxListpackEntries === 0 ||
      (argv[scoreIndex + 1] as string).length > settings.zsetMaxListpackValue
    )
      markConverted(zset);
    db.set(key, zset);
  }
  let touched = added > 0;
  const touch = (): void => {
    if (!touched) touchForWrite(db, key);
    touched = true;
  };
  if (zset !== undefined) {
    for (let pair = 0; pair < pairs; pair += 1) {
      let score = scores[pair] as number;
      const member = argv[scoreIndex + pair * 2 + 1] as string;
      const current = zset.score(member);
      if (current !== undefined) {
        if (nx) continue;
        if (incr) {
          score += current;
          if (Number.isNaN(score)) {
            markDirty(client, added + updated);
            throw new ReplyError(NAN_ERROR);
          }
        }
        if ((lt && score >= current) || (gt && score <= current)) continue;
        if (score !== current) {
          touch();
          zsetInsert(client, zset, member, score);
          updated += 1;
        }
        lastScore = score;
        processed += 1;
      } else if (!xx) {
        touch();
        zsetInsert(client, zset, member, score);
        added += 1;
        lastScore = score;
        processed += 1;
      }
    }
    deleteIfEmpty(db, key, zset);
  }
  markDirty(client, added + updated);
  if (incr) {
    if (processed > 0) client.reply.double(lastScore);
    else client.reply.nil();
  } else client.reply.integer(ch ? added + updated : added);
}

function zremCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const db = client.db;
  const zset = db.getZSet(key);
  let removed = 0;
  if (zset !== undefined) {
    for (let index = 2; index < argv.length; index += 1) {
      const member = argv[index] as string;
      if (zset.score(member) === undefined) continue;
      if (removed === 0) touchForWrite(db, key);
      zset.remove(member);
      removed += 1;
      if (zset.length === 0) break;
    }
    deleteIfEmpty(db, key, zset);
  }
  markDirty(client, removed);
  client.reply.integer(removed);
}

function rankGeneric(client: Client, argv: string[], reverse: boolean): void {
  const zset = readZSet(client, argv[1] as string);
  const rank = zset?.rank(argv[2] as string);
  if (zset === undefined || rank === undefined) client.reply.nil();
  else client.reply.integer(reverse ? zset.length - 1 - rank : rank);
}

function zmscoreCommand(client: Client, argv: string[]): void {
  const zset = readZSet(client, argv[1] as string);
  client.reply.array(argv.length - 2);
  for (let index = 2; index < argv.length; index += 1) {
    const score = zset?.score(argv[index] as string);
    if (score === undefined) client.reply.nil();
    else client.reply.double(score);
  }
}

function zpopGeneric(client: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) throw new ReplyError(ERRORS.syntax);
  const hasCount = argv.length === 3;
  const count = hasCount ? parsePositiveCount(argv[2] as string) : 1;
  const key = argv[1] as string;
  const db = client.db;
  // As genericZpopCommand: the type is checked before a zero count returns.
  const zset = db.getZSet(key);
  if (zset === undefined || count === 0) {
    client.reply.array(0);
    return;
  }
  touchForWrite(db, key);
  const popped: ZSetEntry[] = [];
  while (popped.length < count && zset.length > 0) {
    const entry = zset.at(max ? zset.length - 1 : 0) as ZSetEntry;
    zset.remove(entry.member);
    popped.push(entry);
  }
  deleteIfEmpty(db, key, zset);
  markDirty(client, popped.length);
  replyEntries(client, popped, true, hasCount);
}

function zrandmemberCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const reply = client.reply;
  if (argv.length === 2) {
    const zset = readZSet(client, key);
    reply.bulkOrNil(zset === undefined ? undefined : pickOne(zset.scores.keys(), zset.length));
    return;
  }
  const count = parseRangedInteger(argv[2] as string, -LONG_MAX, LONG_MAX);
  if (argv.length > 4 || (argv.length === 4 && !isKeyword((argv[3] as string).toUpperCase(), "WITHSCORES")))
    throw new ReplyError(ERRORS.syntax);
  const withScores = argv.length === 4;
  if (withScores && count < -LONG_MAX / 2n) throw new ReplyError("ERR value is out of range");
  const zset = readZSet(client, key);
  if (zset === undefined || count === 0n) {
    reply.array(0);
    return;
  }
  const all = zset.entries();
  let chosen: ZSetEntry[];
  if (count < 0n) {
    chosen = [];
    const total = Number(-count);
    for (let index = 0; index < total; index += 1) chosen.push(all[randomIndex(all.length)] as ZSetEntry);
  } else if (count >= BigInt(all.length)) chosen = [...all];
  else chosen = pickDistinct(all, all.length, Number(count));
  replyEntries(client, chosen, withScores);
}

function zscanCommand(client: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2] as string);
  const zset = client.db.getZSet(argv[1] as string);
  const reply = client.reply;
  if (zset === undefined) {
    reply.array(2);
    reply.bulk("0");
    reply.array(0);
    return;
  }
  const options = parseScanOptions(argv, 3, false);
  let items: [string, number][];
  let next = "0";
  if (isCompact(zset, client.server.settings)) items = zset.entries().map((entry) => [entry.member, entry.score]);
  else {
    const scores = zset.scores;
    const iterator = resumeScan(client.server, cursor, scores, () => scores.entries());
    const taken = takeFrom(iterator, options.count);
    items = taken.items;
    if (!taken.done) next = parkScan(client.server, scores, iterator);
  }
  const pattern = options.pattern;
  const matched = pattern === null ? items : items.filter(([member]) => matchGlob(pattern, member));
  reply.array(2);
  reply.bulk(next);
  reply.array(matched.length * 2);
  for (const [member, score] of matched) {
    reply.bulk(member);
    reply.double(score);
  }
}

const WRITE = ["@write", "@sortedset"] as const;
const READ = ["@read", "@sortedset"] as const;

function spec(
  name: string,
  arity: number,
  flags: readonly ("write" | "readonly" | "denyoom" | "fast")[],
  handler: (client: Client, argv: string[]) => void,
): CommandSpec {
  return defineCommand({
    name,
    arity,
    flags,
    keys: [1, 1, 1],
    categories: [...(flags.includes("write") ? WRITE : READ), flags.includes("fast") ? "@fast" : "@slow"],
    handler,
  });
}

/** Sorted-set member command specs. */
export const SORTED_SET_COMMANDS: readonly CommandSpec[] = [
  spec("zadd", -4, ["write", "denyoom", "fast"], (client, argv) => zaddGeneric(client, argv, false)),
  spec("zincrby", 4, ["write", "denyoom", "fast"], (client, argv) => zaddGeneric(client, argv, true)),
  spec("zscore", 3, ["readonly", "fast"], (client, argv) => {
    const score = readZSet(client, argv[1] as string)?.score(argv[2] as string);
    if (score === undefined) client.reply.nil();
    else client.reply.double(score);
  }),
  spec("zmscore", -3, ["readonly", "fast"], zmscoreCommand),
  spec("zcard", 2, ["readonly", "fast"], (client, argv) =>
    client.reply.integer(readZSet(client, argv[1] as string)?.length ?? 0),
  ),
  spec("zrank", 3, ["readonly", "fast"], (client, argv) => rankGeneric(client, argv, false)),
  spec("zrevrank", 3, ["readonly", "fast"], (client, argv) => rankGeneric(client, argv, true)),
  spec("zrem", -3, ["write", "fast"], zremCommand),
  spec("zpopmin", -2, ["write", "fast"], (client, argv) => zpopGeneric(client, argv, false)),
  spec("zpopmax", -2, ["write", "fast"], (client, argv) => zpopGeneric(client, argv, true)),
  spec("zrandmember", -2, ["readonly"], zrandmemberCommand),
  spec("zscan", -3, ["readonly"], zscanCommand),
];
