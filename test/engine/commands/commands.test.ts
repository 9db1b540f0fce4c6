// Command layer, in process (runs under Node and Deno): Redis 7.0's replies for each family, the
// encodings OBJECT ENCODING reports, RESP3 reply types, and the deterministic argv every write
// propagates to the AOF (relative expiries as absolute ones, SPOP as SREM, floats as results).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { Reply, RespConnection } from "../../helpers/resp-client.ts";

/** A compact rendering of a reply: +status -error :int "bulk" nil [array] {map} ~[set] ,double. */
function show(reply: Reply): string {
  switch (reply.type) {
    case "status":
      return `+${reply.value}`;
    case "error":
      return `-${reply.value}`;
    case "integer":
      return `:${reply.value}`;
    case "bulk":
    case "verbatim":
      return JSON.stringify(reply.value);
    case "nil":
      return "nil";
    case "nilarray":
      return "nil*";
    case "array":
      return `[${reply.value.map(show).join(",")}]`;
    case "set":
      return `~[${reply.value.map(show).join(",")}]`;
    case "map":
      return `{${reply.value.map(([key, value]) => `${show(key)}:${show(value)}`).join(",")}}`;
    case "double":
      return `,${reply.value}`;
    default:
      return JSON.stringify(reply);
  }
}

let engine: InProcessServer;
let connection: RespConnection;

const run = async (...argv: string[]): Promise<string> => show(await connection.call(...argv));

/** Runs [argv..., expected] rows in order. */
async function expectReplies(rows: readonly (readonly string[])[]): Promise<void> {
  for (const row of rows) {
    const argv = row.slice(0, -1);
    expect({ argv, reply: await run(...argv) }).toEqual({ argv, reply: row.at(-1) });
  }
}

beforeAll(async () => {
  engine = await startInProcess();
  connection = await engine.connect();
});

afterAll(async () => {
  await engine?.stop();
});

beforeEach(async () => {
  await run("RESET");
  await run("FLUSHALL");
  engine.propagated.length = 0;
});

describe("command replies", () => {
  it("strings", async () => {
    await expectReplies([
      ["SET", "k", "v", "+OK"],
      ["SET", "k", "v2", "NX", "nil"],
      ["SET", "k", "v3", "XX", "GET", '"v"'],
      ["GETDEL", "k", '"v3"'],
      ["GET", "k", "nil"],
      ["INCRBY", "n", "9223372036854775806", ":9223372036854775806"],
      ["INCR", "n", ":9223372036854775807"],
      ["INCR", "n", "-ERR increment or decrement would overflow"],
      ["SET", "f", "10.5", "+OK"],
      ["INCRBYFLOAT", "f", "0.1", '"10.6"'],
      ["INCRBYFLOAT", "f", "abc", "-ERR value is not a valid float"],
      ["APPEND", "s", "ab", ":2"],
      ["SETRANGE", "s", "4", "cd", ":6"],
      ["GET", "s", '"ab\\u0000\\u0000cd"'],
      ["GETRANGE", "s", "-100", "-50", '"a"'],
      ["MSET", "a", "1", "b", "2", "+OK"],
      ["MGET", "a", "b", "c", '["1","2",nil]'],
      ["MSETNX", "a", "1", "z", "2", ":0"],
      ["SET", "k", "v", "EX", "0", "-ERR invalid expire time in 'set' command"],
      ["SET", "k", "v", "NX", "XX", "-ERR syntax error"],
      ["GET", "-ERR wrong number of arguments for 'get' command"],
    ]);
  });

  it("keys and expiry", async () => {
    await expectReplies([
      ["SET", "a", "1", "+OK"],
      ["EXPIRE", "a", "100", ":1"],
      ["TTL", "a", ":100"],
      ["EXPIRE", "a", "50", "GT", ":0"],
      ["PERSIST", "a", ":1"],
      ["TTL", "a", ":-1"],
      ["TTL", "missing", ":-2"],
      ["TYPE", "a", "+string"],
      ["RENAME", "a", "a2", "+OK"],
      ["EXISTS", "a", "a2", "a2", ":2"],
      ["OBJECT", "ENCODING", "a2", '"int"'],
      ["OBJECT", "NOPE", "a2", "-ERR unknown subcommand 'NOPE'. Try OBJECT HELP."],
      ["COPY", "a2", "a3", ":1"],
      ["MOVE", "a3", "1", ":1"],
      ["DEL", "a2", "missing", ":1"],
      ["EXPIRE", "a3", "10", ":0"],
      ["SCAN", "0", "COUNT", "0", "-ERR syntax error"],
      ["NOSUCH", "x", "-ERR unknown command 'NOSUCH', with args beginning with: 'x' "],
    ]);
  });

  it("hashes", async () => {
    await expectReplies([
      ["HSET", "h", "f", "v", "g", "w", ":2"],
      ["HGETALL", "h", '["f","v","g","w"]'],
      ["HINCRBY", "h", "n", "5", ":5"],
      ["HINCRBY", "h", "f", "1", "-ERR hash value is not an integer"],
      ["HINCRBYFLOAT", "h", "n", "0.5", '"5.5"'],
      ["HMGET", "h", "f", "x", '["v",nil]'],
      ["OBJECT", "ENCODING", "h", '"listpack"'],
      ["HSET", "h", "long", "x".repeat(65), ":1"],
      ["OBJECT", "ENCODING", "h", '"hashtable"'],
      ["HDEL", "h", "f", "g", "n", "long", ":4"],
      ["EXISTS", "h", ":0"],
      ["HSCAN", "h", "0", '["0",[]]'],
    ]);
  });

  it("lists", async () => {
    await expectReplies([
      ["RPUSH", "l", "a", "b", "c", "a", ":4"],
      ["LPOS", "l", "a", "RANK", "-1", ":3"],
      ["LREM", "l", "0", "a", ":2"],
      ["LINSERT", "l", "BEFORE", "c", "x", ":3"],
      ["LRANGE", "l", "0", "-1", '["b","x","c"]'],
      ["LMOVE", "l", "l2", "LEFT", "RIGHT", '"b"'],
      ["LPOP", "l", "5", '["x","c"]'],
      ["LPOP", "l", "5", "nil*"],
      ["EXISTS", "l", ":0"],
      ["OBJECT", "ENCODING", "l2", '"quicklist"'],
      ["LSET", "l2", "5", "x", "-ERR index out of range"],
    ]);
  });

  it("sets", async () => {
    await expectReplies([
      ["SADD", "s", "3", "1", "2", ":3"],
      ["SMEMBERS", "s", '["1","2","3"]'],
      ["OBJECT", "ENCODING", "s", '"intset"'],
      ["SADD", "s", "x", ":1"],
      ["OBJECT", "ENCODING", "s", '"hashtable"'],
      ["SREM", "s", "x", ":1"],
      ["OBJECT", "ENCODING", "s", '"hashtable"'],
      ["SINTERCARD", "1", "s", "LIMIT", "2", ":2"],
      ["SINTERCARD", "0", "s", "-ERR numkeys should be greater than 0"],
      ["SMISMEMBER", "s", "1", "9", "[:1,:0]"],
      ["SADD", "n", "5", "4", ":2"],
      ["SPOP", "n", "10", '["4","5"]'],
      ["EXISTS", "n", ":0"],
    ]);
  });

  it("sorted sets", async () => {
    await expectReplies([
      ["ZADD", "z", "1", "a", "2", "b", "3", "c", ":3"],
      ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "WITHSCORES", '["b","2","c","3"]'],
      ["ZADD", "z", "GT", "CH", "1", "c", "5", "b", ":1"],
      ["ZSCORE", "z", "b", '"5"'],
      ["ZRANK", "z", "b", ":2"],
      ["ZINCRBY", "z", "0.1", "c", '"3.1000000000000001"'],
      ["ZPOPMIN", "z", '["a","1"]'],
      ["ZRANGE", "z", "0", "-1", "REV", '["b","c"]'],
      [
        "ZRANGE",
        "z",
        "0",
        "-1",
        "LIMIT",
        "0",
        "1",
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      ],
      ["ZADD", "z", "nan", "x", "-ERR value is not a valid float"],
      ["ZADD", "lex", "0", "a", "0", "b", "0", "c", ":3"],
      ["ZRANGEBYLEX", "lex", "(a", "+", '["b","c"]'],
      ["ZLEXCOUNT", "lex", "-", "[b", ":2"],
      ["ZCOUNT", "z", "-inf", "(5", ":1"],
      ["ZREMRANGEBYSCORE", "z", "-inf", "+inf", ":2"],
      ["EXISTS", "z", ":0"],
    ]);
  });

  it("WRONGTYPE, transactions and WATCH", async () => {
    await expectReplies([
      ["SET", "k", "v", "+OK"],
      ["LPUSH", "k", "x", "-WRONGTYPE Operation against a key holding the wrong kind of value"],
      ["WATCH", "k", "+OK"],
      ["SREM", "other", "x", ":0"],
      ["MULTI", "+OK"],
      ["INCR", "c", "+QUEUED"],
      ["GET", "k", "+QUEUED"],
      ["EXEC", '[:1,"v"]'],
      ["WATCH", "k", "+OK"],
      ["APPEND", "k", "!", ":2"],
      ["MULTI", "+OK"],
      ["GET", "k", "+QUEUED"],
      ["EXEC", "nil*"],
    ]);
  });

  it("RESP3 reply types after HELLO 3", async () => {
    await run("HELLO", "3");
    await expectReplies([
      ["HSET", "h", "f", "v", ":1"],
      ["HGETALL", "h", '{"f":"v"}'],
      ["SADD", "s", "a", ":1"],
      ["SMEMBERS", "s", '~["a"]'],
      ["ZADD", "z", "1.5", "m", ":1"],
      ["ZSCORE", "z", "m", ",1.5"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES", '[["m",,1.5]]'],
      ["GET", "missing", "nil"],
    ]);
  });
});

describe("propagation to the AOF", () => {
  it("rewrites relative and random writes into deterministic commands", async () => {
    const before = Date.now();
    await run("SET", "k", "v", "EX", "100");
    await run("EXPIRE", "k", "200");
    await run("SETEX", "e", "50", "x");
    await run("SET", "f", "1.5");
    await run("INCRBYFLOAT", "f", "0.25");
    await run("HINCRBYFLOAT", "h", "n", "2.5");
    await run("SADD", "s", "only");
    await run("SPOP", "s");
    await run("GETEX", "e", "PX", "5000");
    await run("GETEX", "e", "PERSIST");
    await run("EXPIRE", "f", "-1");
    await run("GETDEL", "k");
    const after = Date.now();
    const propagated = engine.propagated.map(({ argv }) => argv);
    const times: number[] = [];
    const shapes = propagated.map((argv) =>
      argv.map((arg) => {
        if (!/^\d{13}$/.test(arg)) return arg;
        times.push(Number(arg));
        return "<ms>";
      }),
    );
    expect(shapes).toEqual([
      ["SET", "k", "v", "PXAT", "<ms>"],
      ["PEXPIREAT", "k", "<ms>"],
      ["SET", "e", "x", "PXAT", "<ms>"],
      ["SET", "f", "1.5"],
      ["SET", "f", "1.75", "KEEPTTL"],
      ["HSET", "h", "n", "2.5"],
      ["SADD", "s", "only"],
      ["SREM", "s", "only"],
      ["PEXPIREAT", "e", "<ms>"],
      ["PERSIST", "e"],
      ["DEL", "f"],
      ["DEL", "k"],
    ]);
    [100_000, 200_000, 50_000, 5000].forEach((offset, index) => {
      expect(times[index]).toBeGreaterThanOrEqual(before + offset);
      expect(times[index]).toBeLessThanOrEqual(after + offset);
    });
  });

  it("propagates nothing for reads and refused writes, and wraps transactions in MULTI/EXEC", async () => {
    await run("GET", "x");
    await run("SREM", "nothing", "x");
    await run("INCR", "x");
    await run("LPUSH", "x", "y");
    expect(engine.propagated.map(({ argv }) => argv)).toEqual([["INCR", "x"]]);
    engine.propagated.length = 0;
    await run("MULTI");
    await run("SET", "a", "1");
    await run("SELECT", "2");
    await run("INCR", "a");
    await run("EXEC");
    expect(engine.propagated).toEqual([
      { dbIndex: 0, argv: ["MULTI"] },
      { dbIndex: 0, argv: ["SET", "a", "1"] },
      { dbIndex: 2, argv: ["INCR", "a"] },
      { dbIndex: 2, argv: ["EXEC"] },
    ]);
  });
});
