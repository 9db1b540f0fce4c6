// Hash commands: HSET HSETNX HMSET HGET HMGET HDEL HLEN HEXISTS HSTRLEN HGETALL HKEYS HVALS HINCRBY
// HINCRBYFLOAT (propagated as HSET with the result) HSCAN HRANDFIELD.
import { ERRORS, ReplyError } from "../errors.ts";
import { isCompact, noteHashWrite } from "../keyspace/encoding.ts";
import { matchGlob } from "../util/glob.ts";
import { isKeyword, parseBigInteger, parseRangedInteger } from "./arguments.ts";
import { countLookup, deleteIfEmpty, markDirty, touchForWrite } from "./access.ts";
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from "./long-double.ts";
import { isInfinityText } from "./string-counters.ts";
import { pickDistinct, pickOne, randomIndex } from "./random-pick.ts";
import { parkScan, parseScanCursor, parseScanOptions, resumeScan, takeFrom } from "./scan-cursor.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { HashValue } from "../keyspace/values.ts";
import type { Client } from "../server/context-types.ts";

/** The hash at key for writing, created empty (not yet stored) when missing. Callers validate, then touch() before mutating. */
function hashForWrite(client: Client, key: string): { hash: HashValue; created: boolean; touch: () => void } {
  const existing = client.db.getHash(key);
  if (existing !== undefined) return { hash: existing, created: false, touch: () => touchForWrite(client.db, key) };
  return { hash: new Map(), created: true, touch: () => {} };
}

function readHash(client: Client, key: string): HashValue | undefined {
  return countLookup(client, client.db.getHash(key));
}

function hsetGeneric(client: Client, argv: string[], replyOk: boolean): void {
  if (argv.length % 2 === 1) throw new ReplyError(ERRORS.arity((argv[0] as string).toLowerCase()));
  const key = argv[1] as string;
  const { hash, created, touch } = hashForWrite(client, key);
  touch();
  let added = 0;
  for (let index = 2; index < argv.length; index += 2) {
    const field = argv[index] as string;
    if (!hash.has(field)) added += 1;
    hash.set(field, argv[index + 1] as string);
  }
  if (created) client.db.set(key, hash);
  noteHashWrite(hash, client.server.settings, argv, 2);
  markDirty(client, (argv.length - 2) / 2);
  if (replyOk) client.reply.ok();
  else client.reply.integer(added);
}

function hsetnxCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const field = argv[2] as string;
  const existing = client.db.getHash(key);
  if (existing?.has(field) === true) {
    client.reply.integer(0);
    return;
  }
  const { hash, created, touch } = hashForWrite(client, key);
  touch();
  hash.set(field, argv[3] as string);
  if (created) client.db.set(key, hash);
  noteHashWrite(hash, client.server.settings, argv, 2);
  markDirty(client);
  client.reply.integer(1);
}

function hmgetCommand(client: Client, argv: string[]): void {
  const hash = readHash(client, argv[1] as string);
  client.reply.array(argv.length - 2);
  for (let index = 2; index < argv.length; index += 1) client.reply.bulkOrNil(hash?.get(argv[index] as string));
}

function hdelCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const hash = client.db.getHash(key);
  let deleted = 0;
  if (hash !== undefined) {
    for (let index = 2; index < argv.length; index += 1) {
      const field = argv[index] as string;
      if (!hash.has(field)) continue;
      if (deleted === 0) touchForWrite(client.db, key);
      hash.delete(field);
      deleted += 1;
      if (hash.size === 0) break;
    }
    deleteIfEmpty(client.db, key, hash);
  }
  markDirty(client, deleted);
  client.reply.integer(deleted);
}

function hgetallGeneric(client: Client, argv: string[], fields: boolean, values: boolean): void {
  const hash = readHash(client, argv[1] as string);
  const reply = client.reply;
  if (hash === undefined) {
    if (fields && values) reply.map(0);
    else reply.array(0);
    return;
  }
  if (fields && values) {
    reply.map(hash.size);
    for (const [field, value] of hash) {
      reply.bulk(field);
      reply.bulk(value);
    }
  } else {
    reply.array(hash.size);
    for (const [field, value] of hash) reply.bulk(fields ? field : value);
  }
}

function hincrbyCommand(client: Client, argv: string[]): void {
  const increment = parseBigInteger(argv[3] as string);
  const key = argv[1] as string;
  const field = argv[2] as string;
  const { hash, created, touch } = hashForWrite(client, key);
  const current = hash.get(field);
  const value = current === undefined ? 0n : parseBigInteger(current, "ERR hash value is not an integer");
  const result = value + increment;
  if (result > 9223372036854775807n || result < -9223372036854775808n) throw new ReplyError(ERRORS.overflow);
  const text = result.toString();
  touch();
  hash.set(field, text);
  if (created) client.db.set(key, hash);
  noteHashWrite(hash, client.server.settings, [field, text]);
  markDirty(client);
  client.reply.raw(":" + text + "\r\n");
}

function hincrbyfloatCommand(client: Client, argv: string[]): void {
  const incrementText = argv[3] as string;
  const increment = parseLongDouble(incrementText);
  if (increment === null) {
    if (isInfinityText(incrementText)) throw new ReplyError("ERR value is NaN or Infinity");
    throw new ReplyError(ERRORS.notFloat);
  }
  const key = argv[1] as string;
  const field = argv[2] as string;
  const { hash, created, touch } = hashForWrite(client, key);
  const currentText = hash.get(field);
  const current =
    currentText === undefined ? { negative: false, mantissa: 0n, exponent: 0 } : parseLongDouble(currentText);
  if (current === null) {
    if (currentText !== undefined && isInfinityText(currentText))
      throw new ReplyError("ERR increment would produce NaN or Infinity");
    throw new ReplyError("ERR hash value is not a float");
  }
  const sum = addLongDouble(current, increment);
  if (sum === null) throw new ReplyError("ERR increment would produce NaN or Infinity");
  const text = formatLongDoubleHuman(sum);
  touch();
  hash.set(field, text);
  if (created) client.db.set(key, hash);
  noteHashWrite(hash, client.server.settings, [field, text]);
  markDirty(client);
  client.propagate(["HSET", key, field, text]);
  client.reply.bulk(text);
}

function hscanCommand(client: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2] as string);
  const key = argv[1] as string;
  const hash = client.db.getHash(key);
  const reply = client.reply;
  if (hash === undefined) {
    reply.array(2);
    reply.bulk("0");
    reply.array(0);
    return;
  }
  const options = parseScanOptions(argv, 3, false);
  let items: [string, string][];
  let next = "0";
  if (isCompact(hash, client.server.settings)) items = [...hash];
  else {
    const iterator = resumeScan(client.server, cursor, hash, () => hash.entries());
    const taken = takeFrom(iterator, options.count);
    items = taken.items;
    if (!taken.done) next = parkScan(client.server, hash, iterator);
  }
  const pattern = options.pattern;
  const matched = pattern === null ? items : items.filter(([field]) => matchGlob(pattern, field));
  reply.array(2);
  reply.bulk(next);
  reply.array(matched.length * 2);
  for (const [field, value] of matched) {
    reply.bulk(field);
    reply.bulk(value);
  }
}

const LONG_MAX = 9223372036854775807n;

function hrandfieldCommand(client: Client, argv: string[]): void {
  const key = argv[1] as string;
  const reply = client.reply;
  if (argv.length === 2) {
    const hash = readHash(client, key);
    if (hash === undefined) reply.nil();
    else reply.bulkOrNil(pickOne(hash.keys(), hash.size));
    return;
  }
  const countBig = parseRangedInteger(argv[2] as string, -LONG_MAX, LONG_MAX);
  if (argv.length > 4 || (argv.length === 4 && !isKeyword((argv[3] as string).toUpperCase(), "WITHVALUES")))
    throw new ReplyError(ERRORS.syntax);
  const withValues = argv.length === 4;
  if (withValues && countBig < -LONG_MAX / 2n) throw new ReplyError("ERR value is out of range");
  const hash = readHash(client, key);
  if (hash === undefined || countBig === 0n) {
    reply.array(0);
    return;
  }
  const pairs = (entries: readonly (readonly [string, string])[]): void => {
    if (withValues && reply.protocol === 3) {
      reply.array(entries.length);
      for (const [field, value] of entries) {
        reply.array(2);
        reply.bulk(field);
        reply.bulk(value);
      }
      return;
    }
    reply.array(entries.length * (withValues ? 2 : 1));
    for (const [field, value] of entries) {
      reply.bulk(field);
      if (withValues) reply.bulk(value);
    }
  };
  if (countBig < 0n) {
    const count = Number(-countBig);
    const all = [...hash];
    const chosen: [string, string][] = [];
    for (let index = 0; index < count; index += 1) chosen.push(all[randomIndex(all.length)] as [string, string]);
    pairs(chosen);
    return;
  }
  const count = Number(countBig > BigInt(hash.size) ? BigInt(hash.size) : countBig);
  pairs(pickDistinct(hash.entries(), hash.size, count));
}

const WRITE = ["@write", "@hash", "@fast"] as const;
const READ = ["@read", "@hash", "@fast"] as const;

function spec(
  name: string,
  arity: number,
  write: boolean,
  handler: (client: Client, argv: string[]) => void,
  slow = false,
): CommandSpec {
  const flags = write ? (["write", "denyoom", "fast"] as const) : (["readonly", "fast"] as const);
  return defineCommand({
    name,
    arity,
    flags: slow ? flags.filter((flag) => flag !== "fast") : flags,
    keys: [1, 1, 1],
    categories: write ? WRITE : READ,
    handler,
  });
}

/** Hash command specs. */
export const HASH_COMMANDS: readonly CommandSpec[] = [
  spec("hset", -4, true, (client, argv) => hsetGeneric(client, argv, false)),
  spec("hmset", -4, true, (client, argv) => hsetGeneric(client, argv, true)),
  spec("hsetnx", 4, true, hsetnxCommand),
  spec("hget", 3, false, (client, argv) =>
    client.reply.bulkOrNil(readHash(client, argv[1] as string)?.get(argv[2] as string)),
  ),
  spec("hmget", -3, false, hmgetCommand),
  defineCommand({
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: hdelCommand,
  }),
  spec("hlen", 2, false, (client, argv) => client.reply.integer(readHash(client, argv[1] as string)?.size ?? 0)),
  spec("hexists", 3, false, (client, argv) =>
    client.reply.integer(readHash(client, argv[1] as string)?.has(argv[2] as string) === true ? 1 : 0),
  ),
  spec("hstrlen", 3, false, (client, argv) =>
    client.reply.integer(readHash(client, argv[1] as string)?.get(argv[2] as string)?.length ?? 0),
  ),
  spec("hgetall", 2, false, (client, argv) => hgetallGeneric(client, argv, true, true), true),
  spec("hkeys", 2, false, (client, argv) => hgetallGeneric(client, argv, true, false), true),
  spec("hvals", 2, false, (client, argv) => hgetallGeneric(client, argv, false, true), true),
  spec("hincrby", 4, true, hincrbyCommand),
  spec("hincrbyfloat", 4, true, hincrbyfloatCommand),
  spec("hscan", -3, false, hscanCommand, true),
  spec("hrandfield", -2, false, hrandfieldCommand, true),
];
