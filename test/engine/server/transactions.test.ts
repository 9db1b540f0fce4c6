// MULTI/EXEC next to redis-server 7.0, each a real process: WATCH of keys that were already expired
// (their deletion by lazy expiry, FLUSHDB or SWAPDB is no change), of keys that expire after WATCH
// (EXEC fails), FLUSHALL of unwatched keys, and EXEC refused as a whole (EXECABORT) when it holds a
// write under min-replicas-to-write or a use-memory command over maxmemory; BGREWRITEAOF inside EXEC
// is scheduled.
import { afterAll, describe, expect, it } from "vitest";
import { RespConnection, type Reply } from "../../helpers/resp-client.ts";
import { SKIP_WITHOUT_REDIS, sleep, spawnServer, type SpawnedServer } from "../../helpers/servers.ts";

const KINDS = ["engine", "redis"] as const;
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** +status -error :int "bulk" nil nil* [array]. */
function show(reply: Reply): string {
  switch (reply.type) {
    case "status":
      return `+${reply.value}`;
    case "error":
      return `-${reply.value}`;
    case "integer":
      return `:${reply.value}`;
    case "bulk":
      return JSON.stringify(reply.value);
    case "nil":
      return "nil";
    case "nilarray":
      return "nil*";
    case "array":
      return `[${reply.value.map(show).join(",")}]`;
    default:
      return JSON.stringify(reply);
  }
}

type Call = (...argv: string[]) => Promise<string>;

/**
 * Runs `scenario` on a fresh engine and a fresh redis-server; returns both transcripts. `call` talks
 * on one connection, `other` on a second one (to change the server while the first is in MULTI).
 */
async function onBoth(scenario: (call: Call, other: Call) => Promise<void>): Promise<Record<string, string[]>> {
  const transcripts: Record<string, string[]> = {};
  for (const kind of KINDS) {
    const server = await spawnServer(kind, ["--enable-debug-command", "yes"]);
    servers.push(server);
    const connections = [await RespConnection.open(server.port), await RespConnection.open(server.port)];
    const lines: string[] = [];
    const caller =
      (connection: RespConnection, label: string): Call =>
      async (...argv) => {
        const reply = show(await connection.call(...argv));
        lines.push(`${label}${argv.join(" ")} -> ${reply}`);
        return reply;
      };
    await scenario(caller(connections[0] as RespConnection, ""), caller(connections[1] as RespConnection, "(other) "));
    for (const connection of connections) connection.close();
    transcripts[kind] = lines;
  }
  return transcripts;
}

describe.skipIf(SKIP_WITHOUT_REDIS)("MULTI/EXEC, as redis-server 7.0", () => {
  it("WATCH of an already expired key: its lazy deletion, FLUSHDB and SWAPDB are no change; a key expiring after WATCH fails EXEC", async () => {
    const transcripts = await onBoth(async (call) => {
      await call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      // Deleted by EXISTS (lazy expiry) after WATCH: EXEC runs.
      await call("SET", "x", "foo", "PX", "1");
      await sleep(5);
      await call("WATCH", "x");
      await call("EXISTS", "x");
      await call("MULTI");
      await call("PING");
      await call("EXEC");
      // Dropped by FLUSHDB: EXEC runs.
      await call("SET", "x", "foo", "PX", "1");
      await sleep(5);
      await call("WATCH", "x");
      await call("FLUSHDB");
      await call("MULTI");
      await call("PING");
      await call("EXEC");
      // Stale key replaced by another stale key through SWAPDB: EXEC runs.
      await call("SELECT", "1");
      await call("SET", "x", "foo", "PX", "1");
      await call("SELECT", "0");
      await call("SET", "x", "bar", "PX", "1");
      await sleep(5);
      await call("SELECT", "1");
      await call("WATCH", "x");
      await call("SWAPDB", "0", "1");
      await call("MULTI");
      await call("PING");
      await call("EXEC");
      // A missing key replaced by a live one through SWAPDB: EXEC fails.
      await call("FLUSHALL");
      await call("SELECT", "0");
      await call("SET", "x", "live");
      await call("SELECT", "1");
      await call("WATCH", "x");
      await call("SWAPDB", "0", "1");
      await call("MULTI");
      await call("PING");
      await call("EXEC");
      // Alive when WATCHed, expired (not yet deleted) at EXEC: EXEC fails.
      await call("SET", "y", "1", "PX", "30");
      await call("WATCH", "y");
      await sleep(60);
      await call("MULTI");
      await call("INCR", "y");
      await call("EXEC");
      // FLUSHALL of a watched key that does not exist: EXEC runs.
      await call("DEL", "z");
      await call("WATCH", "z");
      await call("FLUSHALL");
      await call("MULTI");
      await call("PING");
      await call("EXEC");
    });
    expect(transcripts["engine"]).toEqual(transcripts["redis"]);
    expect(transcripts["engine"]?.filter((line) => line.startsWith("EXEC"))).toEqual(["EXEC -> [+PONG]", "EXEC -> [+PONG]", "EXEC -> [+PONG]", "EXEC -> nil*", "EXEC -> nil*", "EXEC -> [+PONG]"]);
  });

  it("refuses EXEC as a whole with EXECABORT under min-replicas-to-write or over maxmemory, and schedules BGREWRITEAOF", async () => {
    const transcripts = await onBoth(async (call, other) => {
      await call("SET", "xx", "1");
      await other("CONFIG", "SET", "min-replicas-to-write", "2");
      await call("SET", "xx", "2");
      await other("CONFIG", "SET", "min-replicas-to-write", "0");
      await call("MULTI");
      await call("INCR", "xx");
      await other("CONFIG", "SET", "min-replicas-to-write", "2");
      await call("EXEC");
      await other("CONFIG", "SET", "min-replicas-to-write", "0");
      await call("GET", "xx");
      await call("MULTI");
      await call("SET", "x", "1");
      await call("GET", "x");
      await other("CONFIG", "SET", "maxmemory", "1");
      await call("EXEC");
      await other("CONFIG", "SET", "maxmemory", "0");
      await call("MULTI");
      await call("SET", "foo", "bar");
      await call("BGREWRITEAOF");
      await call("EXEC");
    });
    expect(transcripts["engine"]).toEqual(transcripts["redis"]);
    expect(transcripts["engine"]).toContain("SET xx 2 -> -NOREPLICAS Not enough good replicas to write.");
    expect(transcripts["engine"]).toContain("EXEC -> -EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.");
    expect(transcripts["engine"]).toContain("BGREWRITEAOF -> +QUEUED");
    expect(transcripts["engine"]?.at(-1)).toBe('EXEC -> [+OK,+Background append only file rewriting scheduled]');
  });
});
