// In process: what the blocking pops, SORT, sorted-set algebra, DUMP/RESTORE, MIGRATE, COPY and the
// monitoring commands (WAIT, SLOWLOG, LATENCY, OBJECT IDLETIME/FREQ) propagate to the AOF and the
// replies Redis 7.0 gives where the differential test cannot reach (timing, two servers, CONFIG).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitForBlockedClients } from "../../helpers/blocked-clients.ts";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { Reply, RespConnection } from "../../helpers/resp-client.ts";

let engine: InProcessServer;
let connection: RespConnection;

beforeAll(async () => {
  engine = await startInProcess(["--enable-debug-command", "yes"]);
  connection = await engine.connect();
});

afterAll(async () => {
  await engine?.stop();
});

beforeEach(async () => {
  await connection.call("FLUSHALL");
  engine.propagated.length = 0;
});

const call = (...argv: string[]): Promise<Reply> => connection.call(...argv);
const propagated = (): string[][] => engine.propagated.map((entry) => entry.argv);
const bulk = (value: string): Reply => ({ type: "bulk", value });
const ok: Reply = { type: "status", value: "OK" };
const integer = (value: number): Reply => ({ type: "integer", value: String(value) });
const settle = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("pops served at once propagate as the non-blocking pops", () => {
  it("BLPOP/BRPOP → LPOP/RPOP, LMPOP/BLMPOP → LPOP/RPOP key count, BLMOVE keeps the client's words", async () => {
    await call("RPUSH", "l", "a", "b", "c", "d", "e");
    engine.propagated.length = 0;
    await call("BLPOP", "missing", "l", "0");
    await call("BRPOP", "l", "0");
    await call("LMPOP", "2", "missing", "l", "LEFT", "COUNT", "10");
    await call("RPUSH", "l", "x");
    await call("BLMPOP", "0", "1", "l", "RIGHT");
    await call("RPUSH", "l", "y", "z");
    await call("BLMOVE", "l", "dst", "left", "RIGHT", "0");
    await call("BRPOPLPUSH", "l", "dst", "0");
    expect(propagated()).toEqual([
      ["LPOP", "l"],
      ["RPOP", "l"],
      ["LPOP", "l", "3"],
      ["RPUSH", "l", "x"],
      ["RPOP", "l", "1"],
      ["RPUSH", "l", "y", "z"],
      ["LMOVE", "l", "dst", "left", "RIGHT"],
      ["RPOPLPUSH", "l", "dst"],
    ]);
  });

  it("BZPOPMIN/BZPOPMAX → ZPOPMIN/ZPOPMAX key, ZMPOP/BZMPOP → with the count actually popped", async () => {
    await call("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    engine.propagated.length = 0;
    expect(await call("BZPOPMIN", "z", "0")).toEqual({ type: "array", value: [bulk("z"), bulk("a"), bulk("1")] });
    await call("BZPOPMAX", "z", "0");
    await call("ZMPOP", "1", "z", "MIN", "COUNT", "9");
    await call("ZADD", "z", "5", "e");
    await call("BZMPOP", "0", "1", "z", "MAX");
    expect(propagated()).toEqual([
      ["ZPOPMIN", "z"],
      ["ZPOPMAX", "z"],
      ["ZPOPMIN", "z", "2"],
      ["ZADD", "z", "5", "e"],
      ["ZPOPMAX", "z", "1"],
    ]);
  });

  it("replies as a timeout inside MULTI, and checks arguments before waiting", async () => {
    await call("MULTI");
    for (const argv of [
      ["BLPOP", "q", "0"],
      ["BLMOVE", "q", "d", "LEFT", "LEFT", "0"],
      ["BZMPOP", "0", "1", "q", "MIN"],
      ["WAIT", "1", "0"],
    ])
      await call(...argv);
    expect(await call("EXEC")).toEqual({
      type: "array",
      value: [{ type: "nilarray" }, { type: "nil" }, { type: "nilarray" }, integer(0)],
    });
    expect(await call("BLMPOP", "0", "0", "q", "LEFT")).toEqual({
      type: "error",
      value: "ERR numkeys should be greater than 0",
    });
    expect(await call("BLMPOP", "x", "1", "q", "LEFT")).toEqual({
      type: "error",
      value: "ERR timeout is not a float or out of range",
    });
    expect(await call("BZMPOP", "0", "1", "q", "MIN", "COUNT", "0")).toEqual({
      type: "error",
      value: "ERR count should be greater than 0",
    });
    expect(await call("BLPOP", "q", "inf")).toEqual({ type: "error", value: "ERR timeout is negative" });
    expect(propagated()).toEqual([]);
  });
});

describe("clients blocked on keys", () => {
  it("a served BLMOVE whose destination is not a list gets WRONGTYPE and the element stays", async () => {
    const waiter = await engine.connect();
    const reply = waiter.call("BLMOVE", "src", "notalist", "LEFT", "LEFT", "0");
    await waitForBlockedClients(connection, 1);
    await call("SET", "notalist", "x");
    await call("RPUSH", "src", "e");
    expect(await reply).toEqual({
      type: "error",
      value: "WRONGTYPE Operation against a key holding the wrong kind of value",
    });
    expect(await call("LRANGE", "src", "0", "-1")).toEqual({ type: "array", value: [bulk("e")] });
    expect(propagated()).toEqual([
      ["SET", "notalist", "x"],
      ["RPUSH", "src", "e"],
    ]);
  });

  it("a key of another type does not serve a blocked pop; the client waits on", async () => {
    const waiter = await engine.connect();
    const reply = waiter.call("BLPOP", "k", "0");
    await waitForBlockedClients(connection, 1);
    await call("SET", "k", "string");
    await call("DEL", "k");
    await call("ZADD", "k", "1", "m");
    await settle();
    const info = await call("INFO", "clients");
    expect(info.type === "verbatim" || info.type === "bulk" ? info.value : "").toContain("blocked_clients:1");
    await call("DEL", "k");
    await call("LPUSH", "k", "v");
    expect(await reply).toEqual({ type: "array", value: [bulk("k"), bulk("v")] });
  });

  it("WAIT for replicas blocks until its timeout and answers 0", async () => {
    const startedAt = Date.now();
    expect(await call("WAIT", "0", "0")).toEqual(integer(0));
    expect(await call("WAIT", "1", "60")).toEqual(integer(0));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
    expect(await call("WAIT", "1", "-1")).toEqual({ type: "error", value: "ERR timeout is negative" });
  });
});

describe("SORT and sorted-set algebra", () => {
  it("SORT STORE and ZUNIONSTORE propagate as sent; an empty result deletes the destination", async () => {
    await call("RPUSH", "l", "3", "1", "2");
    await call("SET", "w_1", "30");
    await call("SET", "w_2", "20");
    await call("SET", "w_3", "10");
    await call("HSET", "o_1", "name", "one");
    expect(await call("SORT", "l", "BY", "w_*", "GET", "#", "GET", "o_*->name", "DESC")).toEqual({
      type: "array",
      value: [bulk("1"), bulk("one"), bulk("2"), { type: "nil" }, bulk("3"), { type: "nil" }],
    });
    engine.propagated.length = 0;
    expect(await call("SORT", "l", "STORE", "sorted")).toEqual(integer(3));
    expect(await call("SORT", "missing", "STORE", "sorted")).toEqual(integer(0));
    await call("ZADD", "z1", "1", "a", "2", "b");
    await call("SADD", "s1", "b", "c");
    expect(await call("ZUNIONSTORE", "u", "2", "z1", "s1", "WEIGHTS", "2", "3", "AGGREGATE", "MAX")).toEqual(
      integer(3),
    );
    expect(await call("ZRANGE", "u", "0", "-1", "WITHSCORES")).toEqual({
      type: "array",
      value: ["a", "2", "c", "3", "b", "4"].map(bulk),
    });
    expect(await call("ZINTERCARD", "2", "z1", "s1", "LIMIT", "5")).toEqual(integer(1));
    expect(propagated()).toEqual([
      ["SORT", "l", "STORE", "sorted"],
      ["SORT", "missing", "STORE", "sorted"],
      ["ZADD", "z1", "1", "a", "2", "b"],
      ["SADD", "s1", "b", "c"],
      ["ZUNIONSTORE", "u", "2", "z1", "s1", "WEIGHTS", "2", "3", "AGGREGATE", "MAX"],
    ]);
    expect(await call("COMMAND", "GETKEYS", "SORT", "abc", "STORE", "x", "STORE", "def")).toEqual({
      type: "array",
      value: [bulk("abc"), bulk("def")],
    });
    expect(await call("COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2")).toEqual({
      type: "array",
      value: [bulk("d"), bulk("a"), bulk("b")],
    });
  });
});

describe("DUMP, RESTORE, COPY, MIGRATE", () => {
  it("RESTORE propagates a relative TTL as an absolute one, and a restore already expired as DEL", async () => {
    await call("HSET", "h", "f", "v");
    const payload = await call("DUMP", "h");
    if (payload.type !== "bulk") throw new Error("no payload");
    engine.propagated.length = 0;
    const before = Date.now();
    expect(await call("RESTORE", "h2", "100000", payload.value)).toEqual(ok);
    expect(await call("RESTORE", "h2", "100000", payload.value)).toEqual({
      type: "error",
      value: "BUSYKEY Target key name already exists.",
    });
    expect(await call("RESTORE", "h", "1", payload.value, "REPLACE", "ABSTTL")).toEqual(ok);
    expect(await call("EXISTS", "h")).toEqual(integer(0));
    expect(await call("RESTORE", "h3", "0", payload.value.slice(0, -1) + "x")).toEqual({
      type: "error",
      value: "ERR DUMP payload version or checksum are wrong",
    });
    const [first, second] = propagated();
    expect(first?.slice(0, 2)).toEqual(["RESTORE", "h2"]);
    expect(Number(first?.[2])).toBeGreaterThanOrEqual(before + 100000);
    expect(first?.slice(3)).toEqual([payload.value, "ABSTTL"]);
    expect(second).toEqual(["DEL", "h"]);
  });

  it("COPY duplicates every type with its TTL, to another database and over an existing key with REPLACE", async () => {
    await call("SET", "s", "v", "PX", "100000");
    await call("RPUSH", "l", "a", "b");
    await call("HSET", "h", "f", "v");
    await call("SADD", "S", "1", "2");
    await call("ZADD", "z", "1", "m");
    for (const key of ["s", "l", "h", "S", "z"])
      expect(await call("COPY", key, `${key}-copy`, "DB", "1")).toEqual(integer(1));
    expect(await call("COPY", "l", "s")).toEqual(integer(0));
    expect(await call("COPY", "l", "s", "REPLACE")).toEqual(integer(1));
    expect(await call("LRANGE", "s", "0", "-1")).toEqual({ type: "array", value: [bulk("a"), bulk("b")] });
    await call("SELECT", "1");
    const ttl = await call("PTTL", "s-copy");
    expect(ttl.type === "integer" && Number(ttl.value) > 90000).toBe(true);
    expect(await call("ZRANGE", "z-copy", "0", "-1", "WITHSCORES")).toEqual({
      type: "array",
      value: [bulk("m"), bulk("1")],
    });
    expect(await call("OBJECT", "ENCODING", "S-copy")).toEqual(bulk("intset"));
    await call("SELECT", "0");
  });

  it("MIGRATE moves keys to another server as RESTORE and propagates DEL; COPY keeps them", async () => {
    const target = await startInProcess();
    try {
      await call("SET", "m1", "one", "PX", "100000");
      await call("RPUSH", "m2", "x");
      engine.propagated.length = 0;
      const port = String(target.port);
      expect(await call("MIGRATE", "127.0.0.1", port, "", "0", "1000", "COPY", "KEYS", "m2", "nokey")).toEqual(ok);
      expect(await call("MIGRATE", "127.0.0.1", port, "", "0", "1000", "KEYS", "m1", "m2")).toEqual({
        type: "error",
        value: "ERR Target instance replied with error: BUSYKEY Target key name already exists.",
      });
      expect(await call("MIGRATE", "127.0.0.1", port, "", "0", "1000", "REPLACE", "KEYS", "m1", "m2")).toEqual(ok);
      expect(await call("MIGRATE", "127.0.0.1", port, "gone", "0", "1000")).toEqual({ type: "status", value: "NOKEY" });
      expect(await call("EXISTS", "m1", "m2")).toEqual(integer(0));
      const other = await target.connect();
      expect(await other.call("GET", "m1")).toEqual(bulk("one"));
      const ttl = await other.call("PTTL", "m1");
      expect(ttl.type === "integer" && Number(ttl.value) > 90000).toBe(true);
      // As Redis: the key the target acknowledged before refusing the other one (BUSYKEY) was moved.
      expect(propagated()).toEqual([
        ["DEL", "m1"],
        ["DEL", "m2"],
      ]);
    } finally {
      await target.stop();
    }
    expect(await call("SET", "m3", "x")).toEqual(ok);
    expect(await call("MIGRATE", "127.0.0.1", "1", "m3", "0", "200")).toEqual({
      type: "error",
      value: "IOERR error or timeout connecting to the client",
    });
  });
});

describe("SLOWLOG, LATENCY, OBJECT IDLETIME/FREQ", () => {
  it("SLOWLOG logs commands over the threshold, trimmed, with EXEC's commands instead of EXEC", async () => {
    await call("CONFIG", "SET", "slowlog-log-slower-than", "0");
    await call("SLOWLOG", "RESET");
    await call("SADD", "set", ...Array.from({ length: 40 }, (_, index) => String(index)));
    await call("MULTI");
    await call("SET", "a", "b".repeat(200));
    await call("EXEC");
    await call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
    const entries = await call("SLOWLOG", "GET", "-1");
    if (entries.type !== "array") throw new Error("SLOWLOG GET");
    const argvs = entries.value.map((entry) =>
      entry.type === "array" && entry.value[3]?.type === "array"
        ? entry.value[3].value.map((arg) => (arg.type === "bulk" ? arg.value : "?"))
        : [],
    );
    // Newest first; the CONFIG SET that disabled the log is not in it, EXEC is not, what it ran is.
    expect(argvs[0]).toEqual(["SET", "a", `${"b".repeat(128)}... (72 more bytes)`]);
    expect(argvs[1]).toEqual(["MULTI"]);
    expect(argvs[2]?.length).toBe(32);
    expect(argvs[2]?.[31]).toBe("... (11 more arguments)");
    expect(await call("SLOWLOG", "GET", "-2")).toEqual({
      type: "error",
      value: "ERR count should be greater than or equal to -1",
    });
    expect(await call("SLOWLOG", "LEN")).toEqual(integer(entries.value.length));
    await call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
  });

  it("LATENCY records commands over latency-monitor-threshold", async () => {
    expect(await call("LATENCY", "RESET")).toEqual(integer(0));
    await call("CONFIG", "SET", "latency-monitor-threshold", "50");
    await call("DEBUG", "SLEEP", "0.06");
    await call("CONFIG", "SET", "latency-monitor-threshold", "0");
    const latest = await call("LATENCY", "LATEST");
    expect(latest.type === "array" && latest.value[0]?.type === "array" ? latest.value[0].value[0] : null).toEqual(
      bulk("command"),
    );
    const history = await call("LATENCY", "HISTORY", "command");
    expect(history.type === "array" && history.value.length).toBe(1);
    const doctor = await call("LATENCY", "DOCTOR");
    expect(doctor.type === "verbatim" || doctor.type === "bulk" ? doctor.value : "").toContain(
      "1. command: 1 latency spikes",
    );
    expect(await call("LATENCY", "RESET", "command", "nosuchevent")).toEqual(integer(1));
    expect(await call("LATENCY", "GRAPH", "command")).toEqual({
      type: "error",
      value: "ERR No samples available for event 'command'",
    });
  });

  it("LATENCY HISTOGRAM reports per-command calls by full name since CONFIG RESETSTAT, while latency-tracking is yes", async () => {
    const histogram = async (...names: string[]): Promise<Record<string, unknown>> => {
      const reply = await call("LATENCY", "HISTOGRAM", ...names);
      if (reply.type !== "array") throw new Error("LATENCY HISTOGRAM");
      const out: Record<string, unknown> = {};
      for (let index = 0; index < reply.value.length; index += 2) {
        const fields = reply.value[index + 1];
        const calls = fields?.type === "array" ? fields.value[1] : undefined;
        const buckets = fields?.type === "array" ? fields.value[3] : undefined;
        out[(reply.value[index] as { value: string }).value] = {
          calls,
          buckets: buckets?.type === "array" ? buckets.value.length / 2 : -1,
        };
      }
      return out;
    };
    await call("CONFIG", "RESETSTAT");
    expect(Object.keys(await histogram())).toEqual(["config|resetstat"]);
    await call("CONFIG", "RESETSTAT");
    await call("SET", "a", "b");
    await call("SET", "c", "d");
    await call("CLIENT", "ID");
    await call("DEBUG", "SLEEP", "0.005");
    const some = await histogram("set", "client", "debug", "nosuchcommand", "client|nosuchsub");
    expect(some).toEqual({
      "client|id": { calls: integer(1), buckets: 1 },
      debug: { calls: integer(1), buckets: 1 },
      set: { calls: integer(2), buckets: expect.any(Number) },
    });
    // A 5 ms sleep lands in a bucket labelled 8454 µs or above (Redis's HDR ranges: ..., 4227, 8454, ...).
    const debug = await call("LATENCY", "HISTOGRAM", "debug");
    const label =
      debug.type === "array" && debug.value[1]?.type === "array" && debug.value[1].value[3]?.type === "array"
        ? debug.value[1].value[3].value[0]
        : undefined;
    expect(Number(label?.type === "integer" ? label.value : 0)).toBeGreaterThanOrEqual(8454);
    await call("CONFIG", "SET", "latency-tracking", "no");
    await call("GET", "a");
    await call("CONFIG", "SET", "latency-tracking", "yes");
    expect(await histogram("get")).toEqual({});
  });

  it("OBJECT IDLETIME counts from the last access; OBJECT FREQ needs an LFU policy", async () => {
    await call("SET", "k", "v");
    expect(await call("OBJECT", "IDLETIME", "k")).toEqual(integer(0));
    await call("DEBUG", "SLEEP", "1.1");
    expect(await call("OBJECT", "IDLETIME", "k")).toEqual(integer(1));
    await call("GET", "k");
    expect(await call("OBJECT", "IDLETIME", "k")).toEqual(integer(0));
    const freqError = await call("OBJECT", "FREQ", "k");
    expect(
      freqError.type === "error" && freqError.value.startsWith("ERR An LFU maxmemory policy is not selected"),
    ).toBe(true);
    await call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
    const payload = await call("DUMP", "k");
    await call("RESTORE", "k2", "0", payload.type === "bulk" ? payload.value : "", "FREQ", "100");
    expect(await call("OBJECT", "FREQ", "k2")).toEqual(integer(100));
    await call("CONFIG", "SET", "maxmemory-policy", "noeviction");
  }, 10_000);
});
