// MULTI/EXEC next to redis-server 7.0, each a real process: WATCH of keys that were already expired
// (their deletion by lazy expiry, FLUSHDB or SWAPDB is no change), of keys that expire after WATCH
// (EXEC fails), FLUSHALL of unwatched keys, and EXEC refused as a whole (EXECABORT) when it holds a
// write under min-replicas-to-write or a use-memory command over maxmemory; BGREWRITEAOF inside EXEC
// is scheduled.
import { describe, expect, it } from "vitest";
import { onBothServers } from "../../helpers/differential.ts";
import { SKIP_WITHOUT_REDIS, sleep } from "../../helpers/servers.ts";

describe.skipIf(SKIP_WITHOUT_REDIS)("MULTI/EXEC, as redis-server 7.0", () => {
  it("WATCH of an already expired key: its lazy deletion, FLUSHDB and SWAPDB are no change; a key expiring after WATCH fails EXEC", async () => {
    const transcripts = await onBothServers(["--enable-debug-command", "yes"], async ({ call }) => {
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
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine.filter((line) => line.startsWith("EXEC"))).toEqual([
      "EXEC -> [+PONG]",
      "EXEC -> [+PONG]",
      "EXEC -> [+PONG]",
      "EXEC -> nil*",
      "EXEC -> nil*",
      "EXEC -> [+PONG]",
    ]);
  });

  it("refuses EXEC as a whole with EXECABORT under min-replicas-to-write or over maxmemory, and schedules BGREWRITEAOF", async () => {
    const transcripts = await onBothServers([], async ({ call, open }) => {
      const other = (await open("(other) ")).call;
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
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine).toContain("SET xx 2 -> -NOREPLICAS Not enough good replicas to write.");
    expect(transcripts.engine).toContain(
      "EXEC -> -EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.",
    );
    expect(transcripts.engine).toContain("BGREWRITEAOF -> +QUEUED");
    expect(transcripts.engine.at(-1)).toBe("EXEC -> [+OK,+Background append only file rewriting scheduled]");
  });
});
