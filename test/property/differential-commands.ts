// Command generators for the differential test: fast-check arbitraries producing argv arrays over
// every command family, on a small key space per type (plus occasional wrong-type keys), with
// values chosen to hit edge cases (int64 bounds, floats, empty and long strings, bad syntax).
// Expiries are either in the past or far away, so nothing expires between the two servers' runs.
import fc from "fast-check";
import { BIT_FAMILIES } from "./differential-bits.ts";
import { STREAM_BULK, STREAM_COMMAND } from "./differential-streams.ts";

/** One step of a stream: a plain command, a transaction, or a full scan. */
export type Step =
  | { kind: "command"; argv: string[] }
  | { kind: "transaction"; watch: string[] | null; before: string[][]; queued: string[][] }
  | { kind: "scan"; argv: string[] };

const LONG = "L".repeat(70);
const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

const stringKey = pick("s0", "s1", "s2", "s3");
const hashKey = pick("h0", "h1", "h2");
const listKey = pick("l0", "l1", "l2");
const setKey = pick("S0", "S1", "S2");
const zsetKey = pick("z0", "z1", "z2");
const lexKey = pick("x0", "x1");
const anyKey = pick("s0", "h0", "l0", "S0", "z0", "x0", "missing");
/** A key of the family most of the time, any key sometimes (WRONGTYPE and missing-key paths). */
const keyOf = (family: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 9, arbitrary: family }, { weight: 1, arbitrary: anyKey });

const value = pick(
  "a",
  "b",
  "c",
  "foo",
  "bar",
  "",
  "1",
  "2",
  "-3",
  "10",
  "3.5",
  "0",
  LONG,
  "\u0000\u00ff\r\n",
  "9223372036854775807",
);
const member = pick("a", "b", "c", "d", "e", "1", "2", "3", "10", "-5", "007", LONG);
const integer = pick(
  "0",
  "1",
  "-1",
  "2",
  "5",
  "42",
  "-7",
  "9223372036854775807",
  "-9223372036854775808",
  "abc",
  "1.5",
  "007",
  " 1",
  "",
);
const smallIndex = fc.integer({ min: -6, max: 6 }).map(String);
const index = fc.oneof(
  { weight: 8, arbitrary: smallIndex },
  { weight: 1, arbitrary: pick("100", "-100", "x", "9223372036854775807") },
);
const float = pick(
  "0",
  "1",
  "1.5",
  "-2.25",
  "0.1",
  "0.2",
  "1e3",
  "10.5",
  "3",
  "inf",
  "-inf",
  "+inf",
  "nan",
  "abc",
  "1e400",
  "0x10",
  "-0",
  "",
  " 1",
  "5e-324",
);
const score = pick("0", "1", "2", "1.5", "-2.25", "0.1", "10", "3", "-inf", "+inf", "1e20", "-0");
const scoreBound = pick("-inf", "+inf", "0", "1", "(1", "2", "(2.5", "10", "(-inf", "abc", "", "(", "1e400");
const lexBound = pick("-", "+", "[a", "(a", "[c", "(c", "[e", "a", "", "[", "(");
const lexMember = pick("a", "b", "c", "d", "e", "aa", "bb", "");
const futureSeconds = pick("1000", "100000", "-1", "0", "abc", "9223372036854775807");
const futureMillis = pick("1000000", "100000000", "-5", "0", "1.5");
const absoluteSeconds = pick("4102444800", "1000", "-1", "abc");
const absoluteMillis = pick("4102444800000", "1000000", "-1");
const pattern = pick("*", "s*", "h?", "[hl]*", "*0", "z[0-1]", "nomatch*", "\\*");
const typeName = pick("string", "hash", "list", "set", "zset", "HASH", "foo");

const cmd = (...parts: (fc.Arbitrary<string> | string)[]): fc.Arbitrary<string[]> =>
  fc.tuple(...parts.map((part) => (typeof part === "string" ? fc.constant(part) : part)));

/** Appends 0..n optional words chosen from `options` (each may carry its own arguments). */
const optional = (base: fc.Arbitrary<string[]>, options: fc.Arbitrary<string[]>, max = 3): fc.Arbitrary<string[]> =>
  fc.tuple(base, fc.array(options, { maxLength: max })).map(([head, rest]) => [...head, ...rest.flat()]);

const many = <T>(item: fc.Arbitrary<T>, min = 1, max = 4): fc.Arbitrary<T[]> =>
  fc.array(item, { minLength: min, maxLength: max });

const bigHash = fc.integer({ min: 120, max: 140 }).map((count) => {
  const argv = ["HSET", "h1"];
  for (let index = 0; index < count; index += 1) argv.push(`f${index}`, `v${index}`);
  return argv;
});
const bigSet = fc.tuple(setKey, fc.integer({ min: 500, max: 520 }), fc.boolean()).map(([key, count, numeric]) => {
  const argv = ["SADD", key];
  for (let index = 0; index < count; index += 1) argv.push(numeric ? String(index * 3 - 700) : `m${index}`);
  return argv;
});
const bigZSet = fc.tuple(zsetKey, fc.integer({ min: 120, max: 140 })).map(([key, count]) => {
  const argv = ["ZADD", key];
  for (let index = 0; index < count; index += 1) argv.push(String((index * 7) % 50), `m${index}`);
  return argv;
});
const bigList = fc
  .tuple(listKey, fc.integer({ min: 100, max: 300 }))
  .map(([key, count]) => ["RPUSH", key, ...Array.from({ length: count }, (_, i) => `e${i % 9}`)]);

const strings: fc.Arbitrary<string[]>[] = [
  optional(
    cmd("SET", keyOf(stringKey), value),
    fc.oneof(
      pick(["NX"], ["XX"], ["GET"], ["KEEPTTL"], ["BAD"]),
      futureSeconds.map((s) => ["EX", s]),
      futureMillis.map((s) => ["PX", s]),
      absoluteSeconds.map((s) => ["EXAT", s]),
      absoluteMillis.map((s) => ["PXAT", s]),
    ),
    2,
  ),
  cmd("GET", keyOf(stringKey)),
  cmd("GETDEL", keyOf(stringKey)),
  optional(
    cmd("GETEX", keyOf(stringKey)),
    fc.oneof(
      pick(["PERSIST"], ["BAD"]),
      futureSeconds.map((s) => ["EX", s]),
      absoluteMillis.map((s) => ["PXAT", s]),
    ),
    2,
  ),
  fc.tuple(many(keyOf(stringKey))).map(([keys]) => ["MGET", ...keys]),
  fc.tuple(many(fc.tuple(stringKey, value))).map(([pairs]) => ["MSET", ...pairs.flat()]),
  fc.tuple(many(fc.tuple(stringKey, value))).map(([pairs]) => ["MSETNX", ...pairs.flat()]),
  cmd("MSET", stringKey),
  cmd("INCR", keyOf(stringKey)),
  cmd("DECR", keyOf(stringKey)),
  cmd("INCRBY", keyOf(stringKey), integer),
  cmd("DECRBY", keyOf(stringKey), integer),
  cmd("INCRBYFLOAT", keyOf(stringKey), float),
  cmd("APPEND", keyOf(stringKey), value),
  cmd("STRLEN", keyOf(stringKey)),
  cmd("SETRANGE", keyOf(stringKey), pick("0", "1", "3", "10", "-1", "x"), value),
  cmd("GETRANGE", keyOf(stringKey), index, index),
  cmd("SETNX", keyOf(stringKey), value),
  cmd("SETEX", keyOf(stringKey), futureSeconds, value),
  cmd("PSETEX", keyOf(stringKey), futureMillis, value),
  cmd("GETSET", keyOf(stringKey), value),
];

const keys: fc.Arbitrary<string[]>[] = [
  fc.tuple(many(anyKey)).map(([list]) => ["DEL", ...list]),
  fc.tuple(many(anyKey)).map(([list]) => ["UNLINK", ...list]),
  fc.tuple(many(anyKey)).map(([list]) => ["EXISTS", ...list]),
  cmd("TYPE", anyKey),
  cmd("RENAME", anyKey, anyKey),
  cmd("RENAMENX", anyKey, anyKey),
  optional(cmd("EXPIRE", anyKey, futureSeconds), pick(["NX"], ["XX"], ["GT"], ["LT"], ["BAD"]), 2),
  optional(cmd("PEXPIRE", anyKey, futureMillis), pick(["NX"], ["XX"], ["GT"], ["LT"]), 1),
  cmd("EXPIREAT", anyKey, absoluteSeconds),
  cmd("PEXPIREAT", anyKey, absoluteMillis),
  cmd("TTL", anyKey),
  cmd("PTTL", anyKey),
  cmd("EXPIRETIME", anyKey),
  cmd("PEXPIRETIME", anyKey),
  cmd("PERSIST", anyKey),
  cmd("KEYS", pattern),
  cmd("RANDOMKEY"),
  cmd("MOVE", anyKey, pick("1", "0", "16", "x")),
  optional(
    cmd("COPY", anyKey, anyKey),
    fc.oneof(
      pick(["REPLACE"], ["BAD"]),
      pick("0", "1", "16").map((db) => ["DB", db]),
    ),
    2,
  ),
  cmd("OBJECT", "ENCODING", anyKey),
  cmd("OBJECT", pick("REFCOUNT", "FOO"), anyKey),
  cmd("SELECT", pick("0", "1")),
  cmd("DBSIZE"),
  cmd("SWAPDB", pick("0", "1"), pick("0", "1")),
];

const hashes: fc.Arbitrary<string[]>[] = [
  fc.tuple(keyOf(hashKey), many(fc.tuple(member, value))).map(([key, pairs]) => ["HSET", key, ...pairs.flat()]),
  cmd("HSET", hashKey, member),
  cmd("HSETNX", keyOf(hashKey), member, value),
  cmd("HGET", keyOf(hashKey), member),
  fc.tuple(keyOf(hashKey), many(member)).map(([key, fields]) => ["HMGET", key, ...fields]),
  fc.tuple(keyOf(hashKey), many(fc.tuple(member, value))).map(([key, pairs]) => ["HMSET", key, ...pairs.flat()]),
  fc.tuple(keyOf(hashKey), many(member)).map(([key, fields]) => ["HDEL", key, ...fields]),
  cmd("HLEN", keyOf(hashKey)),
  cmd("HEXISTS", keyOf(hashKey), member),
  cmd("HGETALL", keyOf(hashKey)),
  cmd("HKEYS", keyOf(hashKey)),
  cmd("HVALS", keyOf(hashKey)),
  cmd("HINCRBY", keyOf(hashKey), member, integer),
  cmd("HINCRBYFLOAT", keyOf(hashKey), member, float),
  cmd("HSTRLEN", keyOf(hashKey), member),
  cmd("HRANDFIELD", keyOf(hashKey)),
  optional(cmd("HRANDFIELD", keyOf(hashKey), pick("0", "1", "3", "100", "-3", "x")), pick(["WITHVALUES"], ["BAD"]), 1),
  bigHash,
];

const lists: fc.Arbitrary<string[]>[] = [
  fc
    .tuple(pick("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"), keyOf(listKey), many(member))
    .map(([name, key, items]) => [name, key, ...items]),
  cmd(pick("LPOP", "RPOP"), keyOf(listKey)),
  cmd(pick("LPOP", "RPOP"), keyOf(listKey), pick("0", "1", "2", "10", "-1", "x")),
  cmd("LLEN", keyOf(listKey)),
  cmd("LRANGE", keyOf(listKey), index, index),
  cmd("LINDEX", keyOf(listKey), index),
  cmd("LSET", keyOf(listKey), index, member),
  cmd("LREM", keyOf(listKey), pick("0", "1", "-1", "2", "-2", "x"), member),
  cmd("LTRIM", keyOf(listKey), index, index),
  cmd("LINSERT", keyOf(listKey), pick("BEFORE", "AFTER", "MIDDLE"), member, member),
  optional(
    cmd("LPOS", keyOf(listKey), member),
    fc.oneof(
      pick("1", "2", "-1", "-2", "0").map((r) => ["RANK", r]),
      pick("0", "1", "2", "-1").map((c) => ["COUNT", c]),
      pick("0", "2", "-1").map((m) => ["MAXLEN", m]),
      pick(["BAD"]),
    ),
    2,
  ),
  cmd("LMOVE", keyOf(listKey), keyOf(listKey), pick("LEFT", "RIGHT", "UP"), pick("LEFT", "RIGHT")),
  cmd("RPOPLPUSH", keyOf(listKey), keyOf(listKey)),
  bigList,
];

const sets: fc.Arbitrary<string[]>[] = [
  fc.tuple(keyOf(setKey), many(member)).map(([key, members]) => ["SADD", key, ...members]),
  fc.tuple(keyOf(setKey), many(member)).map(([key, members]) => ["SREM", key, ...members]),
  cmd("SMEMBERS", keyOf(setKey)),
  cmd("SISMEMBER", keyOf(setKey), member),
  fc.tuple(keyOf(setKey), many(member)).map(([key, members]) => ["SMISMEMBER", key, ...members]),
  cmd("SCARD", keyOf(setKey)),
  cmd("SPOP", keyOf(setKey)),
  cmd("SPOP", keyOf(setKey), pick("0", "1", "2", "1000", "-1", "x")),
  cmd("SRANDMEMBER", keyOf(setKey)),
  cmd("SRANDMEMBER", keyOf(setKey), pick("0", "1", "3", "1000", "-3", "x")),
  cmd("SMOVE", keyOf(setKey), keyOf(setKey), member),
  fc.tuple(pick("SINTER", "SUNION", "SDIFF"), many(keyOf(setKey), 1, 3)).map(([name, list]) => [name, ...list]),
  fc
    .tuple(pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), keyOf(setKey), many(keyOf(setKey), 1, 3))
    .map(([name, dst, list]) => [name, dst, ...list]),
  optional(
    fc
      .tuple(many(keyOf(setKey), 1, 3), pick("", "0", "5", "x"))
      .map(([list, override]) => ["SINTERCARD", override === "" ? String(list.length) : override, ...list]),
    pick("0", "1", "-1").map((limit) => ["LIMIT", limit]),
    1,
  ),
  bigSet,
];

const zsets: fc.Arbitrary<string[]>[] = [
  fc
    .tuple(
      fc.array(pick("NX", "XX", "GT", "LT", "CH", "INCR"), { maxLength: 2 }),
      keyOf(zsetKey),
      many(fc.tuple(score, member), 1, 3),
    )
    .map(([options, key, pairs]) => ["ZADD", key, ...options, ...pairs.flat()]),
  cmd("ZADD", keyOf(zsetKey), float, member),
  cmd("ZINCRBY", keyOf(zsetKey), float, member),
  cmd("ZSCORE", keyOf(zsetKey), member),
  fc.tuple(keyOf(zsetKey), many(member)).map(([key, members]) => ["ZMSCORE", key, ...members]),
  cmd("ZCARD", keyOf(zsetKey)),
  cmd("ZCOUNT", keyOf(zsetKey), scoreBound, scoreBound),
  cmd(pick("ZRANK", "ZREVRANK"), keyOf(zsetKey), member),
  optional(cmd("ZRANGE", keyOf(zsetKey), index, index), pick(["WITHSCORES"], ["REV"], ["LIMIT", "0", "2"], ["BAD"]), 2),
  optional(
    cmd("ZRANGE", keyOf(zsetKey), scoreBound, scoreBound, "BYSCORE"),
    fc.oneof(
      pick(["WITHSCORES"], ["REV"]),
      fc.tuple(pick("0", "1", "-1"), pick("1", "2", "-1", "0")).map(([o, c]) => ["LIMIT", o, c]),
    ),
    2,
  ),
  optional(
    cmd("ZRANGE", keyOf(lexKey), lexBound, lexBound, "BYLEX"),
    fc.oneof(
      pick(["REV"], ["WITHSCORES"]),
      fc.tuple(pick("0", "1"), pick("1", "2", "-1")).map(([o, c]) => ["LIMIT", o, c]),
    ),
    2,
  ),
  optional(
    cmd(pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), keyOf(zsetKey), scoreBound, scoreBound),
    fc.oneof(
      pick(["WITHSCORES"], ["REV"]),
      fc.tuple(pick("0", "1"), pick("1", "-1")).map(([o, c]) => ["LIMIT", o, c]),
    ),
    2,
  ),
  optional(cmd("ZREVRANGE", keyOf(zsetKey), index, index), pick(["WITHSCORES"], ["BYSCORE"]), 1),
  optional(
    cmd(pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), keyOf(lexKey), lexBound, lexBound),
    fc.tuple(pick("0", "1"), pick("1", "-1")).map(([o, c]) => ["LIMIT", o, c]),
    1,
  ),
  fc.tuple(keyOf(zsetKey), many(member)).map(([key, members]) => ["ZREM", key, ...members]),
  cmd("ZREMRANGEBYRANK", keyOf(zsetKey), index, index),
  cmd("ZREMRANGEBYSCORE", keyOf(zsetKey), scoreBound, scoreBound),
  cmd("ZREMRANGEBYLEX", keyOf(lexKey), lexBound, lexBound),
  cmd(pick("ZPOPMIN", "ZPOPMAX"), keyOf(zsetKey)),
  cmd(pick("ZPOPMIN", "ZPOPMAX"), keyOf(zsetKey), pick("0", "1", "2", "100", "-1", "x")),
  cmd("ZRANDMEMBER", keyOf(zsetKey)),
  optional(cmd("ZRANDMEMBER", keyOf(zsetKey), pick("0", "1", "3", "100", "-3", "x")), pick(["WITHSCORES"], ["BAD"]), 1),
  cmd("ZLEXCOUNT", keyOf(lexKey), lexBound, lexBound),
  fc.tuple(lexKey, many(lexMember, 1, 4)).map(([key, members]) => ["ZADD", key, ...members.flatMap((m) => ["0", m])]),
  optional(cmd("ZRANGESTORE", keyOf(zsetKey), keyOf(zsetKey), index, index), pick(["REV"], ["BYSCORE"]), 1),
  bigZSet,
];

// Multi-key and blocking pops (blocking ones time out after 10 ms when nothing is there), sorted-set
// algebra, SORT.
const shortTimeout = pick("0.01", "0.02", "-1", "x");
const popKeys = (family: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  fc
    .tuple(many(keyOf(family), 1, 3), pick("", "", "0", "5", "x"))
    .map(([list, override]) => [override === "" ? String(list.length) : override, ...list]);
const popCount = fc.option(
  pick("1", "2", "10", "0", "-1", "x").map((count) => ["COUNT", count]),
  { nil: [] as string[] },
);
const weightsOrAggregate = fc.oneof(
  pick(["AGGREGATE", "SUM"], ["AGGREGATE", "MIN"], ["AGGREGATE", "MAX"], ["AGGREGATE", "AVG"], ["WITHSCORES"], ["BAD"]),
  fc
    .integer({ min: 1, max: 3 })
    .chain((count) => fc.array(pick("1", "2", "0.5", "-1", "0", "inf", "x"), { minLength: count, maxLength: count }))
    .map((weights) => ["WEIGHTS", ...weights]),
);
const algebraSources = fc
  .tuple(many(fc.oneof(keyOf(zsetKey), setKey), 1, 3), pick("", "", "0", "9", "x"))
  .map(([list, override]) => [override === "" ? String(list.length) : override, ...list]);
const sortOption = fc.oneof(
  pick(
    ["ASC"],
    ["DESC"],
    ["ALPHA"],
    ["LIMIT", "0", "2"],
    ["LIMIT", "1", "-1"],
    ["LIMIT", "x", "1"],
    ["GET", "#"],
    ["GET", "s*"],
    ["GET", "h*->a"],
    ["BY", "nosort"],
    ["BY", "s*"],
    ["BAD"],
  ),
);
const blockingAndAlgebra: fc.Arbitrary<string[]>[] = [
  fc
    .tuple(popKeys(listKey), pick("LEFT", "RIGHT", "UP"), popCount)
    .map(([keys, end, count]) => ["LMPOP", ...keys, end, ...count]),
  fc
    .tuple(shortTimeout, popKeys(listKey), pick("LEFT", "RIGHT"), popCount)
    .map(([timeout, keys, end, count]) => ["BLMPOP", timeout, ...keys, end, ...count]),
  fc
    .tuple(pick("BLPOP", "BRPOP"), many(keyOf(listKey), 1, 3), shortTimeout)
    .map(([name, keys, timeout]) => [name, ...keys, timeout]),
  cmd("BLMOVE", keyOf(listKey), keyOf(listKey), pick("LEFT", "RIGHT"), pick("LEFT", "RIGHT", "UP"), shortTimeout),
  cmd("BRPOPLPUSH", keyOf(listKey), keyOf(listKey), shortTimeout),
  fc
    .tuple(popKeys(zsetKey), pick("MIN", "MAX", "LEFT"), popCount)
    .map(([keys, side, count]) => ["ZMPOP", ...keys, side, ...count]),
  fc
    .tuple(shortTimeout, popKeys(zsetKey), pick("MIN", "MAX"), popCount)
    .map(([timeout, keys, side, count]) => ["BZMPOP", timeout, ...keys, side, ...count]),
  fc
    .tuple(pick("BZPOPMIN", "BZPOPMAX"), many(keyOf(zsetKey), 1, 3), shortTimeout)
    .map(([name, keys, timeout]) => [name, ...keys, timeout]),
  fc
    .tuple(pick("ZUNION", "ZINTER", "ZDIFF"), algebraSources, fc.array(weightsOrAggregate, { maxLength: 2 }))
    .map(([name, sources, options]) => [name, ...sources, ...options.flat()]),
  fc
    .tuple(
      pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"),
      keyOf(zsetKey),
      algebraSources,
      fc.array(weightsOrAggregate, { maxLength: 2 }),
    )
    .map(([name, destination, sources, options]) => [name, destination, ...sources, ...options.flat()]),
  fc
    .tuple(
      algebraSources,
      fc.option(
        pick("0", "1", "2", "-1", "x").map((limit) => ["LIMIT", limit]),
        { nil: [] as string[] },
      ),
    )
    .map(([sources, limit]) => ["ZINTERCARD", ...sources, ...limit]),
  // BY nosort keeps native order: only for lists and sorted sets (a set's order is its own per server).
  fc
    .tuple(pick("SORT", "SORT_RO"), fc.oneof(keyOf(listKey), keyOf(zsetKey)), fc.array(sortOption, { maxLength: 3 }))
    .map(([name, key, options]) => [name, key, ...options.flat()]),
  fc
    .tuple(
      setKey,
      fc.array(
        sortOption.filter((option) => option[0] !== "BY"),
        { maxLength: 3 },
      ),
      fc.option(keyOf(listKey), { nil: null }),
    )
    .map(([key, options, store]) => ["SORT", key, ...options.flat(), ...(store === null ? [] : ["STORE", store])]),
  cmd("DUMP", anyKey),
];

const misc: fc.Arbitrary<string[]>[] = [
  cmd("PING"),
  cmd("ECHO", value),
  cmd("NOSUCHCOMMAND", value),
  cmd("GET"),
  cmd("HSET", hashKey, member, value, member),
  cmd("ZADD", zsetKey),
  cmd("LPUSH", listKey),
];

/** Commands whose replies are random: compared by shape, never inside transactions. */
export const RANDOM_COMMANDS = new Set(["SPOP", "SRANDMEMBER", "RANDOMKEY", "HRANDFIELD", "ZRANDMEMBER"]);

const command: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(...strings) },
  { weight: 3, arbitrary: fc.oneof(...keys) },
  { weight: 3, arbitrary: fc.oneof(...hashes) },
  { weight: 3, arbitrary: fc.oneof(...lists) },
  { weight: 3, arbitrary: fc.oneof(...sets) },
  { weight: 4, arbitrary: fc.oneof(...zsets) },
  { weight: 4, arbitrary: STREAM_COMMAND },
  { weight: 1, arbitrary: fc.oneof(...misc) },
  { weight: 3, arbitrary: fc.oneof(...blockingAndAlgebra) },
  { weight: 2, arbitrary: fc.oneof(...BIT_FAMILIES.bitmaps) },
  { weight: 1, arbitrary: fc.oneof(...BIT_FAMILIES.bitfields) },
  { weight: 2, arbitrary: fc.oneof(...BIT_FAMILIES.hyperloglogs) },
  { weight: 2, arbitrary: fc.oneof(...BIT_FAMILIES.geos) },
);

const deterministic = command.filter(
  (argv) => !RANDOM_COMMANDS.has(argv[0] as string) && argv[0] !== "SELECT" && argv[0] !== "SWAPDB",
);

const scan: fc.Arbitrary<Step> = fc
  .oneof(
    optional(
      cmd("SCAN"),
      fc.oneof(
        pattern.map((p) => ["MATCH", p]),
        pick("1", "3", "100", "0").map((c) => ["COUNT", c]),
        typeName.map((t) => ["TYPE", t]),
      ),
      2,
    ),
    optional(
      cmd(pick("HSCAN", "SSCAN", "ZSCAN"), pick("h1", "S0", "S1", "z0", "z1", "x0", "s0", "missing")),
      fc.oneof(
        pick("*", "m1*", "f?", "a").map((p) => ["MATCH", p]),
        pick("1", "5", "0").map((c) => ["COUNT", c]),
      ),
      2,
    ),
  )
  .map((argv) => ({ kind: "scan" as const, argv }));

const transaction: fc.Arbitrary<Step> = fc
  .tuple(
    fc.option(many(anyKey, 1, 2), { nil: null }),
    fc.array(deterministic, { maxLength: 2 }),
    many(deterministic, 0, 4),
  )
  .map(([watch, before, queued]) => ({ kind: "transaction" as const, watch, before, queued }));

/** One step of a random stream. */
export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: command.map((argv) => ({ kind: "command" as const, argv })) },
  { weight: 1, arbitrary: scan },
  { weight: 1, arbitrary: transaction },
  {
    weight: 1,
    arbitrary: STREAM_BULK.map((queued) => ({ kind: "transaction" as const, watch: null, before: [], queued })),
  },
);
