// Stream commands for the differential test: generators over a few stream keys, groups and consumers
// with explicit and "<ms>-*" IDs (never "*", whose IDs come from each server's clock), trimming options,
// group reads, claims and acknowledgements; the node-size settings to run them under; and how a stream's
// state is read back and compared (idle times, which differ by the milliseconds between servers, blanked).
import fc from "fast-check";
import type { Reply, RespConnection } from "../helpers/resp-client.ts";

const pick = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const cmd = (...parts: (fc.Arbitrary<string> | string)[]): fc.Arbitrary<string[]> =>
  fc.tuple(...parts.map((part) => (typeof part === "string" ? fc.constant(part) : part)));
const many = <T>(item: fc.Arbitrary<T>, min = 1, max = 4): fc.Arbitrary<T[]> =>
  fc.array(item, { minLength: min, maxLength: max });
const optional = (base: fc.Arbitrary<string[]>, options: fc.Arbitrary<string[]>, max = 3): fc.Arbitrary<string[]> =>
  fc.tuple(base, fc.array(options, { maxLength: max })).map(([head, rest]) => [...head, ...rest.flat()]);

const streamKey = pick("st0", "st1", "st2");
const otherKey = pick("s0", "h0", "missing");
const keyOfStream = fc.oneof({ weight: 9, arbitrary: streamKey }, { weight: 1, arbitrary: otherKey });
const group = pick("g1", "g2", "nog");
const consumer = pick("alice", "bob", "carol");
const ms = fc.integer({ min: 0, max: 40 });
const seq = fc.integer({ min: 0, max: 3 });
const field = pick("f", "g", "1", "h", "-2");
const fieldValue = pick("v", "1", "-7", "", "9223372036854775807", "x".repeat(70), "\u0000\u00ff");
const count = pick("0", "1", "2", "5", "100", "-1", "x");
const fullId = fc.tuple(ms, seq).map(([m, s]) => `${m}-${s}`);
const anyId = fc.oneof(
  { weight: 6, arbitrary: fullId },
  { weight: 2, arbitrary: ms.map(String) },
  { weight: 1, arbitrary: pick("0", "0-0", "18446744073709551615-18446744073709551615", "abc", "1-x", "-1", "007-1") },
);
const rangeBound = fc.oneof(
  { weight: 4, arbitrary: anyId },
  { weight: 2, arbitrary: pick("-", "+") },
  { weight: 1, arbitrary: fullId.map((id) => `(${id}`) },
);
const addId = fc.oneof(
  { weight: 6, arbitrary: fullId },
  { weight: 3, arbitrary: ms.map((m) => `${m}-*`) },
  { weight: 1, arbitrary: pick("0-0", "0-*", "bad", "5", "-") },
);
const pairs = many(fc.tuple(field, fieldValue), 1, 3).map((list) => list.flat());
const trim = fc.oneof(
  fc
    .tuple(pick("MAXLEN", "MINID"), pick("=", "~", ""), fc.oneof(pick("0", "1", "3", "10", "-1"), fullId))
    .map(([strategy, how, arg]) => [strategy, ...(how === "" ? [] : [how]), arg]),
  fc
    .tuple(pick("MAXLEN", "MINID"), pick("0", "2", "5"), pick("0", "1", "3"))
    .map(([strategy, arg, limit]) => [strategy, "~", strategy === "MINID" ? `${arg}-0` : arg, "LIMIT", limit]),
  pick(["LIMIT", "2"], ["MAXLEN"]),
);

const xadd = fc
  .tuple(keyOfStream, fc.boolean(), fc.option(trim, { nil: null }), addId, pairs)
  .map(([key, noMake, trimming, id, fields]) => [
    "XADD",
    key,
    ...(noMake ? ["NOMKSTREAM"] : []),
    ...(trimming ?? []),
    id,
    ...fields,
  ]);
const bigAdd = fc
  .tuple(streamKey, fc.integer({ min: 41, max: 60 }), fc.integer({ min: 5, max: 40 }))
  .map(([key, from, entries]) =>
    Array.from({ length: entries }, (_, index) => [
      "XADD",
      key,
      `${from + index}-1`,
      index % 4 === 0 ? "other" : "f",
      "x".repeat((index * 13) % 50),
    ]),
  );
const readIds = (keys: string[]): fc.Arbitrary<string[]> =>
  fc.tuple(
    ...keys.map(() =>
      fc.oneof(
        { weight: 4, arbitrary: pick(">") },
        { weight: 2, arbitrary: fullId },
        { weight: 1, arbitrary: pick("0", "$") },
      ),
    ),
  );

const streamCommands: fc.Arbitrary<string[]>[] = [
  xadd,
  xadd,
  optional(
    cmd(pick("XRANGE", "XREVRANGE"), keyOfStream, rangeBound, rangeBound),
    count.map((c) => ["COUNT", c]),
    1,
  ),
  cmd("XLEN", keyOfStream),
  fc.tuple(keyOfStream, many(anyId)).map(([key, ids]) => ["XDEL", key, ...ids]),
  fc.tuple(keyOfStream, trim).map(([key, options]) => ["XTRIM", key, ...options]),
  optional(
    cmd("XSETID", keyOfStream, anyId),
    fc.oneof(
      pick("0", "3", "100", "-1").map((n) => ["ENTRIESADDED", n]),
      anyId.map((id) => ["MAXDELETEDID", id]),
    ),
    2,
  ),
  optional(
    cmd("XGROUP", "CREATE", keyOfStream, group, fc.oneof(pick("$", "0"), fullId)),
    fc.oneof(
      pick(["MKSTREAM"]),
      pick("0", "2", "-1", "-5").map((n) => ["ENTRIESREAD", n]),
    ),
    2,
  ),
  optional(
    cmd("XGROUP", "SETID", keyOfStream, group, fc.oneof(pick("$", "0", "-"), fullId)),
    pick("0", "3", "-1").map((n) => ["ENTRIESREAD", n]),
    1,
  ),
  cmd("XGROUP", "DESTROY", keyOfStream, group),
  cmd("XGROUP", pick("CREATECONSUMER", "DELCONSUMER"), keyOfStream, group, consumer),
  fc
    .tuple(group, consumer, fc.option(count, { nil: null }), fc.boolean(), many(streamKey, 1, 2))
    .chain(([name, reader, limit, noack, keys]) =>
      readIds(keys).map((ids) => [
        "XREADGROUP",
        "GROUP",
        name,
        reader,
        ...(limit === null ? [] : ["COUNT", limit]),
        ...(noack ? ["NOACK"] : []),
        "STREAMS",
        ...keys,
        ...ids,
      ]),
    ),
  fc
    .tuple(fc.option(count, { nil: null }), many(keyOfStream, 1, 2))
    .chain(([limit, keys]) =>
      fc
        .tuple(...keys.map(() => fc.oneof(fullId, pick("0", "$"))))
        .map((ids) => ["XREAD", ...(limit === null ? [] : ["COUNT", limit]), "STREAMS", ...keys, ...ids]),
    ),
  fc.tuple(keyOfStream, group, many(anyId)).map(([key, name, ids]) => ["XACK", key, name, ...ids]),
  cmd("XPENDING", keyOfStream, group),
  fc
    .tuple(
      keyOfStream,
      group,
      fc.option(pick("0", "5", "x"), { nil: null }),
      rangeBound,
      rangeBound,
      count,
      fc.option(consumer, { nil: null }),
    )
    .map(([key, name, idle, start, end, limit, owner]) => [
      "XPENDING",
      key,
      name,
      ...(idle === null ? [] : ["IDLE", idle]),
      start,
      end,
      limit,
      ...(owner === null ? [] : [owner]),
    ]),
  optional(
    fc
      .tuple(keyOfStream, group, consumer, pick("0", "-5", "x"), many(anyId, 1, 3))
      .map(([key, name, claimer, idle, ids]) => ["XCLAIM", key, name, claimer, idle, ...ids]),
    fc.oneof(
      pick(["JUSTID"], ["FORCE"], ["BOGUS"]),
      pick("0", "3", "x").map((n) => ["RETRYCOUNT", n]),
      pick("1700000000000", "0", "-1").map((t) => ["TIME", t]),
      fullId.map((id) => ["LASTID", id]),
    ),
    3,
  ),
  optional(
    cmd("XAUTOCLAIM", keyOfStream, group, consumer, pick("0", "x"), rangeBound),
    fc.oneof(
      pick(["JUSTID"], ["BAD"]),
      pick("1", "2", "0", "100").map((n) => ["COUNT", n]),
    ),
    2,
  ),
  cmd("XINFO", pick("STREAM", "GROUPS"), keyOfStream),
  cmd("XINFO", "STREAM", keyOfStream, "FULL", "COUNT", pick("0", "1")).map((argv) => argv),
  cmd(pick("TYPE", "EXISTS", "GET"), streamKey),
  cmd("OBJECT", "ENCODING", streamKey),
  cmd("COPY", streamKey, pick("st1", "st2", "st9"), pick("REPLACE", "")).map((argv) =>
    argv.filter((word) => word !== ""),
  ),
  cmd("RENAME", streamKey, streamKey),
  cmd("DEL", streamKey),
];

/** Stream commands (one argv each) for the differential stream. */
export const STREAM_COMMAND: fc.Arbitrary<string[]> = fc.oneof(...streamCommands);

/** Many XADDs at once (several nodes), as one step's worth of commands. */
export const STREAM_BULK: fc.Arbitrary<string[][]> = bigAdd;

/** Node sizes under the default and the tiny encodings of the differential test. */
export const DEFAULT_STREAM_NODES = ["stream-node-max-entries", "100", "stream-node-max-bytes", "4096"];
export const TINY_STREAM_NODES = ["stream-node-max-entries", "3", "stream-node-max-bytes", "120"];

// Blanks the time-dependent integers of a reply: XPENDING rows' idle times, FULL's delivery and seen times.
function blankTimes(reply: Reply, name: string): unknown {
  if (reply.type !== "array" && reply.type !== "map") return reply;
  if (name === "XPENDING" && reply.type === "array") {
    return reply.value.map((row) =>
      row.type === "array" && row.value.length === 4 ? [row.value[0], row.value[1], "*", row.value[3]] : row,
    );
  }
  const items = reply.type === "map" ? reply.value.flat() : reply.value;
  const out: unknown[] = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as Reply;
    const label = item.type === "bulk" ? item.value : "";
    if (label === "seen-time") {
      out.push(label, "*");
      index += 1;
    } else if (label === "pending" && (items[index + 1] as Reply | undefined)?.type === "array") {
      const rows = (items[index + 1] as Extract<Reply, { type: "array" }>).value;
      out.push(
        label,
        rows.map((row) =>
          row.type === "array"
            ? row.value.map((cell, at) => (cell.type === "integer" && at === row.value.length - 2 ? "*" : cell))
            : row,
        ),
      );
      index += 1;
    } else out.push(blankTimes(item, name));
  }
  return out;
}

/** Whether two replies to a stream command match once times are blanked; null when `argv` is not one that needs it. */
export function sameStreamReply(argv: readonly string[], a: Reply, b: Reply): boolean | null {
  const name = (argv[0] as string).toUpperCase();
  const full = name === "XINFO" && argv.some((word) => word.toUpperCase() === "FULL");
  if (!full && !(name === "XPENDING" && argv.length >= 6)) return null;
  return JSON.stringify(blankTimes(a, name)) === JSON.stringify(blankTimes(b, name));
}

/** A stream's state for the final comparison: entries, XINFO STREAM, groups, their pending summaries. */
export async function dumpStream(connection: RespConnection, key: string): Promise<unknown> {
  const entries = await connection.call("XRANGE", key, "-", "+");
  const info = await connection.call("XINFO", "STREAM", key);
  const groups = await connection.call("XINFO", "GROUPS", key);
  const full = await connection.call("XINFO", "STREAM", key, "FULL", "COUNT", "0");
  return { entries, info, groups, full: blankTimes(full, "XINFO") };
}
