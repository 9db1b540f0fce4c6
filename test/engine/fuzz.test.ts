// Bad input at the server: protocol limits answered with Redis's exact errors and only that
// connection closed; then seeded random and mutated RESP sent byte for byte to the engine and to a
// real redis-server in random chunk splits: both must answer the same bytes and close (or keep) the
// connection the same way, while a control connection keeps getting PONG (no crash, no hang).
import fc from "fast-check";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCommand } from "../helpers/resp-client.ts";
import { SKIP_WITHOUT_REDIS, spawnServer, type SpawnedServer } from "../helpers/servers.ts";

const SEED = Number(process.env["FUZZ_SEED"] ?? 424242);
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 150);
const LIMIT_ARGS = ["--proto-max-bulk-len", "4mb", "--client-query-buffer-limit", "1mb"];

/** What a connection saw: every reply byte, and whether the server closed it. */
interface Outcome {
  readonly replies: string;
  readonly closed: boolean;
}

/**
 * An outcome plus whether the close came as a reset. A server that closes while our later chunks are
 * still arriving answers them with RST, and the kernel then drops reply bytes we had not read yet: the
 * replies seen are a truncated prefix, whichever server it was (this made real Redis look silent once).
 */
interface Exchange extends Outcome {
  readonly reset: boolean;
}

/** The outcome without how the connection ended (for exact comparisons where no reset can race). */
const visible = (exchanged: Exchange): Outcome => ({ replies: exchanged.replies, closed: exchanged.closed });

/**
 * Sends chunks (pausing between them), then an ECHO sentinel; collects replies until the sentinel's
 * reply arrives, the server closes the connection, or `quietMs` pass without the sentinel.
 */
function exchange(port: number, chunks: readonly Buffer[], token: string, quietMs = 400): Promise<Exchange> {
  const sentinelReply = `$${token.length}\r\n${token}\r\n`;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: "127.0.0.1", port });
    let replies = "";
    let finished = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (closed: boolean, reset = false): void => {
      if (finished) return;
      finished = true;
      if (timer !== null) clearTimeout(timer);
      socket.destroy();
      resolve({
        replies: replies.endsWith(sentinelReply) ? replies.slice(0, -sentinelReply.length) + "<sentinel>" : replies,
        closed,
        reset,
      });
    };
    socket.on("data", (data: Buffer) => {
      replies += data.toString("latin1");
      if (replies.endsWith(sentinelReply)) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.code === "EPIPE") finish(true, true);
      else if (!finished) reject(error);
    });
    socket.on("connect", async () => {
      socket.setNoDelay(true);
      for (const chunk of chunks) {
        if (finished) return;
        socket.write(chunk);
        await new Promise((done) => setTimeout(done, 1));
      }
      // Give a server that is about to close (protocol error) the time to do so first.
      await new Promise((done) => setTimeout(done, 30));
      if (finished) return;
      socket.write(encodeCommand(["ECHO", token]));
      timer = setTimeout(() => finish(false), quietMs);
    });
  });
}

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");
let tokens = 0;
// A sentinel word no fuzz input contains; the same one goes to both servers.
const newToken = (): string => `sentinel${(tokens += 1)}x${SEED}`;

describe.skipIf(SKIP_WITHOUT_REDIS)("bad input: engine and redis-server 7.0 react alike", () => {
  let engine: SpawnedServer;
  let redis: SpawnedServer;
  let control: { engine: Socket; redis: Socket };

  const controlPing = async (socket: Socket): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("control connection got no PONG within 2 s")), 2000);
      socket.once("data", (data: Buffer) => {
        clearTimeout(timer);
        resolve(data.toString("latin1"));
      });
      socket.write("PING\r\n");
    });

  beforeAll(async () => {
    [engine, redis] = await Promise.all([spawnServer("engine", LIMIT_ARGS), spawnServer("redis", LIMIT_ARGS)]);
    const open = (port: number): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port }, () => resolve(socket));
        socket.once("error", reject);
      });
    control = { engine: await open(engine.port), redis: await open(redis.port) };
  });

  afterAll(async () => {
    control?.engine.destroy();
    control?.redis.destroy();
    await Promise.all([engine?.stop(), redis?.stop()]);
  });

  const compare = async (name: string, chunks: readonly Buffer[]): Promise<Outcome> => {
    const token = newToken();
    const [fromEngine, fromRedis] = await Promise.all([
      exchange(engine.port, chunks, token),
      exchange(redis.port, chunks, token),
    ]);
    if (fromEngine.reset || fromRedis.reset) {
      // Both closed; a reset side's replies may be cut short, so one must be a prefix of the other.
      expect({ case: name, closed: fromEngine.closed }).toEqual({ case: name, closed: fromRedis.closed });
      const [shorter, longer] =
        fromEngine.replies.length <= fromRedis.replies.length ? [fromEngine, fromRedis] : [fromRedis, fromEngine];
      expect({ case: name, prefix: longer.replies.slice(0, shorter.replies.length) }).toEqual({
        case: name,
        prefix: shorter.replies,
      });
      expect(shorter.reset || shorter.replies === longer.replies).toBe(true);
    } else {
      expect({ case: name, replies: fromEngine.replies, closed: fromEngine.closed }).toEqual({
        case: name,
        replies: fromRedis.replies,
        closed: fromRedis.closed,
      });
    }
    expect(await controlPing(control.engine)).toBe("+PONG\r\n");
    return visible(fromEngine);
  };

  it("answers each protocol limit with Redis's error and closes only that connection", async () => {
    const cases: [string, string, string][] = [
      [
        "bulk over proto-max-bulk-len",
        `*2\r\n$3\r\nGET\r\n$${4 * 1024 * 1024 + 1}\r\n`,
        "-ERR Protocol error: invalid bulk length\r\n",
      ],
      ["multibulk over INT_MAX", "*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n"],
      ["multibulk count not a number", "*1x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"],
      ["negative bulk length", "*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"],
      ["missing $", "*1\r\nPING\r\n", "-ERR Protocol error: expected '$', got 'P'\r\n"],
      ["inline over 64 KB", "x".repeat(70 * 1024), "-ERR Protocol error: too big inline request\r\n"],
      [
        "mbulk count line over 64 KB",
        "*" + "1".repeat(70 * 1024),
        "-ERR Protocol error: too big mbulk count string\r\n",
      ],
      [
        "bulk count line over 64 KB",
        "*1\r\n$" + "1".repeat(70 * 1024),
        "-ERR Protocol error: too big bulk count string\r\n",
      ],
      ["unbalanced quotes", 'SET "a b\r\n', "-ERR Protocol error: unbalanced quotes in request\r\n"],
      [
        "commands before the error still run",
        "PING\r\n*1\r\n$x\r\n",
        "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
      ],
    ];
    for (const [name, input, expected] of cases) {
      const outcome = await compare(name, [bytes(input)]);
      expect(outcome, name).toEqual({ replies: expected, closed: true });
    }
  });

  it("closes a client whose pending input passes client-query-buffer-limit, without a reply", async () => {
    // A 2 MB argument is within proto-max-bulk-len (4 MB) but its pending bytes pass the 1 MB limit.
    const header = bytes(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * 1024 * 1024}\r\n`);
    const chunks = [header, ...Array.from({ length: 24 }, () => Buffer.alloc(64 * 1024, 0x61))];
    const outcome = await compare("query buffer limit", chunks);
    expect(outcome.closed).toBe(true);
    expect(outcome.replies).not.toContain("<sentinel>");
  });

  it("refuses large requests before AUTH when requirepass is set", async () => {
    const [locked, lockedRedis] = await Promise.all([
      spawnServer("engine", ["--requirepass", "secret"]),
      spawnServer("redis", ["--requirepass", "secret"]),
    ]);
    try {
      for (const input of [`*11\r\n`, `*2\r\n$3\r\nGET\r\n$16385\r\n`, `*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n*11\r\n`]) {
        const token = newToken();
        const [a, b] = await Promise.all([
          exchange(locked.port, [bytes(input)], token),
          exchange(lockedRedis.port, [bytes(input)], token),
        ]);
        expect(visible(a)).toEqual(visible(b));
      }
      const a = await exchange(locked.port, [bytes("*11\r\n")], newToken());
      expect(visible(a)).toEqual({
        replies: "-ERR Protocol error: unauthenticated multibulk length\r\n",
        closed: true,
      });
    } finally {
      await Promise.all([locked.stop(), lockedRedis.stop()]);
    }
  });

  // Well-formed requests to mutate: benign commands only (no SHUTDOWN, CONFIG, DEBUG, FLUSHALL).
  const corpus: Buffer[] = [
    encodeCommand(["SET", "key", "value"]),
    encodeCommand(["GET", "key"]),
    encodeCommand(["HSET", "hash", "field", "1", "other", "2"]),
    encodeCommand(["LPUSH", "list", "a", "b", "c"]),
    encodeCommand(["ZADD", "zset", "1.5", "m"]),
    encodeCommand(["MGET", "key", "hash", "nokey"]),
    encodeCommand(["SADD", "set", "1", "2", "x"]),
    encodeCommand(["INCRBY", "counter", "5"]),
    encodeCommand(["ECHO", "\u0000\u00ff\r\n"]),
    encodeCommand(["BLPOP", "list", "nokey", "0.01"]),
    encodeCommand(["LMPOP", "2", "nokey", "list", "RIGHT", "COUNT", "2"]),
    encodeCommand(["BZMPOP", "0.01", "1", "zset", "MIN", "COUNT", "3"]),
    encodeCommand(["ZUNIONSTORE", "dst", "2", "zset", "set", "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX"]),
    encodeCommand([
      "SORT",
      "list",
      "BY",
      "w_*",
      "GET",
      "#",
      "GET",
      "hash->field",
      "LIMIT",
      "0",
      "5",
      "ALPHA",
      "STORE",
      "sorted",
    ]),
    encodeCommand(["RESTORE", "restored", "0", "\u0000\u0005hello\n\u0000cr\u00dfve4 \n", "REPLACE"]),
    encodeCommand(["SETBIT", "bits", "7", "1"]),
    encodeCommand(["BITFIELD", "bits", "SET", "u8", "#1", "255", "GET", "i4", "0"]),
    encodeCommand(["PFADD", "hll", "a", "b", "c"]),
    encodeCommand(["GEOADD", "geo", "13.361389", "38.115556", "Palermo"]),
    encodeCommand(["GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"]),
    encodeCommand(["XADD", "stream", "MAXLEN", "~", "10", "5-*", "field", "1", "other", "x"]),
    encodeCommand(["XRANGE", "stream", "(1-0", "+", "COUNT", "3"]),
    encodeCommand(["XGROUP", "CREATE", "stream", "group", "0", "MKSTREAM"]),
    encodeCommand(["XREADGROUP", "GROUP", "group", "consumer", "COUNT", "2", "STREAMS", "stream", ">"]),
    encodeCommand(["XCLAIM", "stream", "group", "other", "0", "5-0", "FORCE", "JUSTID", "RETRYCOUNT", "2"]),
    encodeCommand(["XPENDING", "stream", "group"]),
    bytes("PING\r\n"),
    bytes('SET "quoted key" "va\\x41lue"\r\n'),
    bytes("GET 'single quoted'\r\n"),
    bytes("\r\n\r\n"),
    bytes("*0\r\n*-1\r\n"),
  ];

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      text: fc.constantFrom("\r\n", "*", "$", "-1", "0", "9", "\u0000", '"', "'", " ", "\\", "*2\r\n", "$99\r\n"),
    }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  );

  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
    let data = Buffer.from(input);
    for (const change of mutations) {
      if (data.length === 0) break;
      const at = change.at % data.length;
      if (change.kind === "flip") data[at] = (data[at] as number) ^ (1 << change.bit);
      else if (change.kind === "delete")
        data = Buffer.concat([data.subarray(0, at), data.subarray(at + change.length)]);
      else if (change.kind === "insert")
        data = Buffer.concat([data.subarray(0, at), bytes(change.text), data.subarray(at)]);
      else data = data.subarray(0, at);
    }
    return data;
  }

  const input = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.array(fc.constantFrom(...corpus), { minLength: 1, maxLength: 4 }),
          fc.array(mutation, { maxLength: 4 }),
        )
        .map(([parts, changes]) => mutate(Buffer.concat(parts), changes)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((array) => Buffer.from(array)) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.constantFrom("*", "$", "\r", "\n", "1", "2", "-", "0", "a", " ", '"', "\u0000"), {
          minLength: 1,
          maxLength: 60,
        })
        .map((parts) => bytes(parts.join(""))),
    },
  );

  const splits = (data: Buffer, cuts: readonly number[]): Buffer[] => {
    const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let start = 0;
    for (const point of points) {
      if (point > start) chunks.push(data.subarray(start, point));
      start = Math.max(start, point);
    }
    if (start < data.length) chunks.push(data.subarray(start));
    return chunks;
  };

  it("answers random and mutated RESP exactly like redis-server, in any chunking, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(input, fc.array(fc.nat(), { maxLength: 5 }), async (data, cuts) => {
        await compare(`fuzz ${JSON.stringify(data.toString("latin1"))}`, splits(data, cuts));
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
    );
    expect(engine.isRunning()).toBe(true);
    expect(await controlPing(control.engine)).toBe("+PONG\r\n");
    expect(await controlPing(control.redis)).toBe("+PONG\r\n");
  }, 90_000);
});
