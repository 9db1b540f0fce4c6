// Bitmaps, BITFIELD, HyperLogLog and geo in process (runs under Node and Deno): Redis 7.0's replies
// and errors (values taken from redis-server 7.0.15), OBJECT ENCODING after in-place edits, what
// each write propagates to the AOF, and large bitmaps: byte-exact against a mirror after random
// edits, cheap SETBITs on a 64 MB bitmap, and V8's string limit refused with a plain error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { Reply, RespConnection } from "../../helpers/resp-client.ts";

let engine: InProcessServer;
let connection: RespConnection;

/** Replies as plain values: strings, integers as strings, null, errors as "-...", arrays nested. */
function plain(reply: Reply): unknown {
  switch (reply.type) {
    case "error":
      return `-${reply.value}`;
    case "nil":
    case "nilarray":
      return null;
    case "array":
    case "set":
      return reply.value.map(plain);
    case "map":
      return reply.value.map(([key, value]) => [plain(key), plain(value)]);
    case "boolean":
      return reply.value;
    default:
      return reply.value;
  }
}

const run = async (...argv: string[]): Promise<unknown> => plain(await connection.call(...argv));
const propagated = (): string[][] => engine.propagated.map(({ argv }) => argv);

/** Runs [argv..., expected] rows in order. */
async function expectReplies(rows: readonly (readonly unknown[])[]): Promise<void> {
  for (const row of rows) {
    const argv = row.slice(0, -1) as string[];
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

describe("bitmaps", () => {
  it("SETBIT / GETBIT / BITCOUNT / BITPOS answer as Redis 7.0", async () => {
    await expectReplies([
      ["SETBIT", "b", "7", "1", "0"],
      ["SETBIT", "b", "7", "1", "1"],
      ["GET", "b", "\u0001"],
      ["SETBIT", "b", "100", "1", "0"],
      ["STRLEN", "b", "13"],
      ["GETBIT", "b", "100", "1"],
      ["GETBIT", "b", "99", "0"],
      ["GETBIT", "b", "1000000", "0"],
      ["GETBIT", "missing", "5", "0"],
      ["SETBIT", "b", "-1", "1", "-ERR bit offset is not an integer or out of range"],
      ["SETBIT", "b", "1", "2", "-ERR bit is not an integer or out of range"],
      ["SETBIT", "b", "4294967296", "1", "-ERR bit offset is not an integer or out of range"],
      ["SET", "s", "foobar", "OK"],
      ["BITCOUNT", "s", "26"],
      ["BITCOUNT", "s", "1", "1", "6"],
      ["BITCOUNT", "s", "5", "30", "BIT", "17"],
      ["BITCOUNT", "s", "0", "-ERR syntax error"],
      ["BITCOUNT", "s", "0", "1", "foo", "-ERR syntax error"],
      ["BITCOUNT", "s", "-1", "-2", "foo", "0"],
      ["BITCOUNT", "missing", "a", "b", "0"],
      ["SET", "f", "\u00ff\u00f0\u0000", "OK"],
      ["BITPOS", "f", "0", "12"],
      ["BITPOS", "f", "1", "2", "-1"],
      ["BITPOS", "f", "0", "1", "3", "BIT", "-1"],
      ["BITPOS", "f", "0", "1", "20", "BIT", "12"],
      ["BITPOS", "f", "2", "-ERR The bit argument must be 1 or 0."],
      ["BITPOS", "missing", "0", "0"],
      ["SET", "ones", "\u00ff\u00ff\u00ff", "OK"],
      ["BITPOS", "ones", "0", "24"],
      ["BITPOS", "ones", "0", "0", "-1", "-1"],
      ["LPUSH", "l", "x", "1"],
      ["SETBIT", "l", "0", "1", "-WRONGTYPE Operation against a key holding the wrong kind of value"],
      ["BITCOUNT", "l", "-WRONGTYPE Operation against a key holding the wrong kind of value"],
    ]);
  });

  it("BITOP combines zero-padded sources, deletes the target for empty inputs, and leaves a raw string", async () => {
    await expectReplies([
      ["SET", "a", "\u0001\u0002\u00ff\u00ff", "OK"],
      ["SET", "b", "\u0001\u0002\u00ff", "OK"],
      ["BITOP", "AND", "r", "a", "b", "4"],
      ["GET", "r", "\u0001\u0002\u00ff\u0000"],
      ["BITOP", "XOR", "r", "a", "b", "missing", "4"],
      ["GET", "r", "\u0000\u0000\u0000\u00ff"],
      ["BITOP", "NOT", "r", "b", "3"],
      ["GET", "r", "\u00fe\u00fd\u0000"],
      ["OBJECT", "ENCODING", "r", "raw"],
      ["BITOP", "NOT", "r", "a", "b", "-ERR BITOP NOT must be called with a single source key."],
      ["BITOP", "NAND", "r", "a", "-ERR syntax error"],
      ["BITOP", "OR", "r", "missing", "0"],
      ["EXISTS", "r", "0"],
    ]);
  });

  it("reports raw after an in-place edit, as Redis's dbUnshareStringValue does, until the key is rewritten", async () => {
    await expectReplies([
      ["SET", "n", "12", "OK"],
      ["OBJECT", "ENCODING", "n", "int"],
      ["SETBIT", "n", "0", "0", "0"],
      ["OBJECT", "ENCODING", "n", "raw"],
      ["SET", "n", "12", "OK"],
      ["OBJECT", "ENCODING", "n", "int"],
      ["SETBIT", "fresh", "1", "1", "0"],
      ["OBJECT", "ENCODING", "fresh", "raw"],
      ["GETBIT", "e", "0", "0"],
      ["SET", "e", "abc", "OK"],
      ["GETBIT", "e", "0", "0"],
      ["OBJECT", "ENCODING", "e", "embstr"],
    ]);
  });

  it("propagates SETBIT only when it changed the value or its length", async () => {
    await run("SETBIT", "k", "0", "0");
    await run("SETBIT", "k", "0", "0");
    await run("SETBIT", "k", "0", "1");
    await run("SETBIT", "k", "90", "0");
    await run("BITOP", "NOT", "d", "k");
    await run("BITOP", "AND", "d", "nothing");
    await run("BITOP", "AND", "d", "nothing");
    expect(propagated()).toEqual([
      ["SETBIT", "k", "0", "0"],
      ["SETBIT", "k", "0", "1"],
      ["SETBIT", "k", "90", "0"],
      ["BITOP", "NOT", "d", "k"],
      ["BITOP", "AND", "d", "nothing"],
    ]);
  });

  it("keeps a large bitmap byte-exact through random SETBIT, BITFIELD, GETBIT, BITCOUNT and GET", async () => {
    const size = 256 * 1024;
    const mirror = Buffer.alloc(size);
    let seed = 7;
    const random = (bound: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % bound;
    };
    expect(await run("SETBIT", "big", String(size * 8 - 1), "0")).toBe("0");
    for (let step = 0; step < 400; step += 1) {
      const bit = random(size * 8);
      const value = random(2);
      const byte = Math.floor(bit / 8);
      const mask = 1 << (7 - (bit % 8));
      const before = (mirror[byte] as number) & mask ? 1 : 0;
      if (value === 1) mirror[byte] = (mirror[byte] as number) | mask;
      else mirror[byte] = (mirror[byte] as number) & ~mask;
      expect(await run("SETBIT", "big", String(bit), String(value))).toBe(String(before));
      if (step % 40 === 0) {
        const offset = random(size - 2);
        mirror.writeUInt16BE(step, offset);
        await run("BITFIELD", "big", "SET", "u16", String(offset * 8), String(step));
        expect(await run("GETBIT", "big", String(bit))).toBe(String(value));
        expect(await run("GET", "big")).toBe(mirror.toString("latin1"));
      }
    }
    let ones = 0;
    for (const byte of mirror) for (let bits = byte; bits !== 0; bits &= bits - 1) ones += 1;
    expect(await run("BITCOUNT", "big")).toBe(String(ones));
    expect(await run("GET", "big")).toBe(mirror.toString("latin1"));
  });

  it("edits a 64 MB bitmap without copying it for each SETBIT", async () => {
    const bits = 64 * 1024 * 1024 * 8;
    await run("SETBIT", "huge", String(bits - 1), "1");
    const started = performance.now();
    for (let step = 0; step < 300; step += 1) await run("SETBIT", "huge", String((step * 7919 * 8191) % bits), "1");
    // Copying 64 MB per SETBIT takes 20-80 ms each (6-24 s in all); through the rope it is milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await run("STRLEN", "huge")).toBe(String(bits / 8));
    expect(await run("GETBIT", "huge", String(bits - 1))).toBe("1");
    await run("DEL", "huge");
  }, 60_000);

  it("refuses a bitmap past V8's longest string with an error naming the limit", async () => {
    const reply = await run("SETBIT", "k", "4294967295", "1");
    expect(reply).toMatch(
      /^-ERR string of 536870912 bytes exceeds the longest string persistlab-server can hold \(536870888 bytes, V8's limit; Redis allows 536870912\)$/,
    );
    expect(await run("EXISTS", "k")).toBe("0");
    expect(await run("PING")).toBe("PONG");
  });
});

describe("BITFIELD", () => {
  it("answers GET / SET / INCRBY with WRAP, SAT and FAIL as Redis 7.0", async () => {
    await expectReplies(
      [
        ["BITFIELD", "bits", "SET", "i8", "0", "-100", ["0"]],
        ["BITFIELD", "bits", "SET", "i8", "0", "101", "GET", "i8", "0", "GET", "u4", "0", ["-100", "101", "6"]],
        [
          "BITFIELD",
          "bits",
          "SET",
          "u8",
          "#1",
          "255",
          "INCRBY",
          "u8",
          "#1",
          "10",
          "GET",
          "u16",
          "0",
          ["0", "9", "25865"],
        ],
        [
          "BITFIELD",
          "bits",
          "OVERFLOW",
          "SAT",
          "INCRBY",
          "u8",
          "0",
          "1000",
          "INCRBY",
          "i8",
          "0",
          "-1000",
          ["255", "-128"],
        ],
        ["BITFIELD", "bits", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", ["129"]],
        ["BITFIELD", "bits", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-2", ["nil-placeholder"]],
        ["BITFIELD", "bits", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", ["129"]],
        [
          "BITFIELD",
          "bits",
          "OVERFLOW",
          "WRAP",
          "SET",
          "i64",
          "0",
          "-9223372036854775808",
          "INCRBY",
          "i64",
          "0",
          "-1",
          ["-69524319247532032", "9223372036854775807"],
        ],
        [
          "BITFIELD",
          "bits",
          "GET",
          "u64",
          "0",
          "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
        ],
        ["BITFIELD", "bits", "OVERFLOW", "foo", "-ERR Invalid OVERFLOW type specified"],
        ["BITFIELD", "bits", "GET", "i8", "-ERR syntax error"],
        ["BITFIELD", "missing", "GET", "i8", "0", ["0"]],
        ["BITFIELD", "bits", []],
        ["BITFIELD_RO", "bits", "GET", "u8", "#0", ["127"]],
        ["BITFIELD_RO", "bits", "SET", "u8", "0", "1", "-ERR BITFIELD_RO only supports the GET subcommand"],
      ].map((row) =>
        row.map((cell) =>
          Array.isArray(cell) ? cell.map((item) => (item === "nil-placeholder" ? null : item)) : cell,
        ),
      ),
    );
  });

  it("propagates only when a field changed or the string was created or grown", async () => {
    await run("BITFIELD", "k", "SET", "i5", "0", "0");
    await run("BITFIELD", "k", "SET", "i5", "0", "0");
    await run("BITFIELD", "k", "GET", "i5", "0");
    await run("BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "0", "7");
    await run("BITFIELD", "k", "INCRBY", "i5", "0", "1");
    expect(propagated()).toEqual([
      ["BITFIELD", "k", "SET", "i5", "0", "0"],
      ["BITFIELD", "k", "INCRBY", "i5", "0", "1"],
    ]);
  });
});

describe("HyperLogLog", () => {
  it("answers PFADD / PFCOUNT / PFMERGE / PFDEBUG as Redis 7.0", async () => {
    await expectReplies([
      ["PFADD", "h", "1"],
      ["GET", "h", "HYLL\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0080\u007f\u00ff"],
      ["PFADD", "h", "a", "b", "c", "1"],
      ["PFADD", "h", "a", "b", "c", "0"],
      ["PFCOUNT", "h", "3"],
      ["PFDEBUG", "ENCODING", "h", "sparse"],
      ["PFDEBUG", "DECODE", "h", "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"],
      ["OBJECT", "ENCODING", "h", "raw"],
      ["PFADD", "h2", "c", "d", "e", "1"],
      ["PFCOUNT", "h", "h2", "missing", "5"],
      ["PFMERGE", "m", "h", "h2", "OK"],
      ["PFCOUNT", "m", "5"],
      ["PFDEBUG", "TODENSE", "m", "1"],
      ["PFDEBUG", "TODENSE", "m", "0"],
      ["STRLEN", "m", "12304"],
      ["PFCOUNT", "m", "5"],
      ["PFDEBUG", "DECODE", "m", "-ERR HLL encoding is not sparse"],
      ["PFDEBUG", "FOO", "m", "-ERR Unknown PFDEBUG subcommand 'FOO'"],
      ["PFDEBUG", "GETREG", "missing", "-ERR The specified key does not exist"],
      ["SET", "s", "foo", "OK"],
      ["PFADD", "s", "x", "-WRONGTYPE Key is not a valid HyperLogLog string value."],
      ["PFCOUNT", "s", "-WRONGTYPE Key is not a valid HyperLogLog string value."],
      ["APPEND", "h", "hello", "32"],
      ["PFCOUNT", "h", "3"],
      ["APPEND", "h2", "hello", "32"],
      ["PFCOUNT", "h2", "-INVALIDOBJ Corrupted HLL object detected"],
    ]);
  });

  it("turns dense past hll-sparse-max-bytes with the registers unchanged", async () => {
    await run("CONFIG", "SET", "hll-sparse-max-bytes", "100");
    for (let index = 0; index < 200; index += 1) await run("PFADD", "h", `e${index}`);
    expect(await run("PFDEBUG", "ENCODING", "h")).toBe("dense");
    await run("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    for (let index = 0; index < 200; index += 1) await run("PFADD", "s", `e${index}`);
    expect(await run("PFDEBUG", "ENCODING", "s")).toBe("sparse");
    expect(await run("PFDEBUG", "GETREG", "s")).toEqual(await run("PFDEBUG", "GETREG", "h"));
    expect(await run("PFCOUNT", "s")).toBe(await run("PFCOUNT", "h"));
  });

  it("propagates PFCOUNT when it refreshed the cached cardinality, and PFDEBUG when it converted", async () => {
    await run("PFADD", "h", "a", "b");
    await run("PFADD", "h", "a");
    await run("PFCOUNT", "h");
    await run("PFCOUNT", "h");
    await run("PFCOUNT", "h", "h");
    await run("PFDEBUG", "ENCODING", "h");
    await run("PFDEBUG", "GETREG", "h");
    await run("PFDEBUG", "TODENSE", "h");
    await run("PFMERGE", "m", "h");
    expect(propagated()).toEqual([
      ["PFADD", "h", "a", "b"],
      ["PFCOUNT", "h"],
      ["PFDEBUG", "GETREG", "h"],
      ["PFMERGE", "m", "h"],
    ]);
  });
});

describe("geo", () => {
  it("answers GEOADD / GEOPOS / GEODIST / GEOHASH / searches as Redis 7.0", async () => {
    await expectReplies([
      ["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "2"],
      ["ZRANGE", "Sicily", "0", "-1", "WITHSCORES", ["Palermo", "3479099956230698", "Catania", "3479447370796909"]],
      ["GEOPOS", "Sicily", "Palermo", "nosuch", [["13.36138933897018433", "38.11555639549629859"], null]],
      ["GEODIST", "Sicily", "Palermo", "Catania", "km", "166.2742"],
      ["GEODIST", "Sicily", "Palermo", "Palermo", "0.0000"],
      ["GEOHASH", "Sicily", "Palermo", "nosuch", ["sqc8b49rny0", null]],
      [
        "GEORADIUS",
        "Sicily",
        "15",
        "37",
        "200",
        "km",
        "WITHDIST",
        "WITHHASH",
        "WITHCOORD",
        "ASC",
        [
          ["Catania", "56.4413", "3479447370796909", ["15.08726745843887329", "37.50266842333162032"]],
          ["Palermo", "190.4424", "3479099956230698", ["13.36138933897018433", "38.11555639549629859"]],
        ],
      ],
      ["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC", ["Catania", "Palermo"]],
      ["GEOADD", "Sicily", "200", "100", "x", "-ERR invalid longitude,latitude pair 200.000000,100.000000"],
      ["GEOADD", "Sicily", "XX", "NX", "1", "1", "x", "-ERR syntax error"],
      [
        "GEOSEARCH",
        "Sicily",
        "BYRADIUS",
        "1",
        "km",
        "ASC",
        "WITHDIST",
        "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH",
      ],
      ["GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY", "-ERR the ANY argument requires COUNT argument"],
      [
        "GEORADIUS",
        "Sicily",
        "15",
        "37",
        "200",
        "km",
        "STORE",
        "d",
        "WITHDIST",
        "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
      ],
      ["GEORADIUSBYMEMBER", "Sicily", "nosuch", "1", "km", "-ERR could not decode requested zset member"],
      ["GEODIST", "Sicily", "Palermo", "Catania", "parsec", "-ERR unsupported unit provided. please use M, KM, FT, MI"],
    ]);
  });

  it("propagates GEOADD as the ZADD it ran, and stores verbatim", async () => {
    await run("GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo");
    await run("GEOADD", "g", "13.361389", "38.115556", "Palermo");
    await run("GEORADIUS", "g", "13", "38", "100", "km", "STORE", "dest");
    await run("GEOSEARCHSTORE", "dest2", "g", "FROMLONLAT", "13", "38", "BYRADIUS", "100", "km", "STOREDIST");
    await run("GEOSEARCHSTORE", "dest2", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km");
    expect(propagated()).toEqual([
      ["zadd", "g", "CH", "3479099956230698", "Palermo"],
      ["GEORADIUS", "g", "13", "38", "100", "km", "STORE", "dest"],
      ["GEOSEARCHSTORE", "dest2", "g", "FROMLONLAT", "13", "38", "BYRADIUS", "100", "km", "STOREDIST"],
      ["GEOSEARCHSTORE", "dest2", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
    ]);
    expect(await run("EXISTS", "dest2")).toBe("0");
  });
});
