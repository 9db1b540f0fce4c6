// Crash safety of BGSAVE: the engine is SIGKILLed at random moments while a background save runs,
// round after round, and at the fault points rdb:mid-save and rdb:before-rename. After every kill
// the dump on disk is the last complete one (old or new, never a mix): it passes redis-check-rdb,
// the engine loads it, and it holds exactly one round's data set as it was when BGSAVE began.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Keyspace } from "../../src/engine/keyspace/keyspace.ts";
import { loadRdbBuffer } from "../../src/engine/persistence/rdb/rdb-loader.ts";
import { SKIP_WITHOUT_REDIS, sleep, startServer, tempDir, type TestServer } from "../engine/rdb/helpers.ts";

const KEYS = 20_000;
const started: TestServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill("SIGKILL");
});

async function engine(dir: string, env: Record<string, string> = {}): Promise<TestServer> {
  // rdb-key-save-delay stretches each BGSAVE to about a second so kills land inside it.
  const server = await startServer({ kind: "engine", dir, args: ["--save", "", "--rdb-key-save-delay", "40"], env });
  started.push(server);
  return server;
}

async function writeRound(server: TestServer, round: number, tag = String(round)): Promise<void> {
  const client = server.client();
  for (let start = 0; start < KEYS; start += 1000) {
    const args: string[] = [];
    for (let index = start; index < start + 1000; index += 1) args.push(`key:${index}`, `${tag}:${index}`);
    await client.call("MSET", ...args);
  }
  await client.call("SET", "round", tag);
  client.disconnect();
}

/** The round held by a dump file, checking that every key belongs to that same round. */
function roundInDump(dir: string): string | null {
  const path = join(dir, "dump.rdb");
  if (!existsSync(path)) return null;
  const report = execFileSync("redis-check-rdb", [path], { encoding: "utf8" });
  expect(report).toContain("RDB looks OK");
  const keyspace = new Keyspace(16);
  loadRdbBuffer(readFileSync(path), keyspace, { fileName: path, nowMs: Date.now() });
  const db = keyspace.database(0);
  const round = db.get("round") as string;
  expect(db.size).toBe(KEYS + 1);
  for (let index = 0; index < KEYS; index += 997) expect(db.get(`key:${index}`)).toBe(`${round}:${index}`);
  return round;
}

describe.skipIf(SKIP_WITHOUT_REDIS)("SIGKILL during BGSAVE", () => {
  it("always leaves the last complete dump, which loads (many rounds, random kill times)", async () => {
    const dir = tempDir("crash");
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Round 0 measures how long a BGSAVE takes here, under the same concurrent writes.
    const first = await engine(dir);
    await writeRound(first, 0);
    const startedAt = performance.now();
    expect(await first.client().call("BGSAVE")).toBe("Background saving started");
    const firstLate = writeRound(first, 0, "late0");
    while (String(await first.client().call("INFO", "persistence")).includes("rdb_bgsave_in_progress:1"))
      await sleep(10);
    const saveMs = performance.now() - startedAt;
    await firstLate;
    await first.kill("SIGKILL");
    let committed: string | null = roundInDump(dir);
    expect(committed).toBe("0");
    const outcomes = { old: 0, new: 0 };
    for (let round = 1; round <= 14; round += 1) {
      const server = await engine(dir);
      const client = server.client();
      // What the engine loaded is the committed dump.
      expect(await client.call("GET", "round")).toBe(committed);
      await writeRound(server, round);
      expect(await client.call("BGSAVE")).toBe("Background saving started");
      // Writes during the save must not reach this dump (point-in-time).
      const late = writeRound(server, round, `late${round}`).catch(() => {});
      // Kill somewhere between the start and a bit after the expected end of the save.
      await sleep(Math.floor(random() * saveMs * 1.4));
      await server.kill("SIGKILL");
      await late;
      const found = roundInDump(dir);
      expect([committed, String(round)]).toContain(found);
      if (found === String(round)) outcomes.new += 1;
      else outcomes.old += 1;
      committed = found;
    }
    // Both outcomes happened: kills landed inside saves and after them.
    expect({ saveMs: Math.round(saveMs), ...outcomes, bothSeen: outcomes.old > 0 && outcomes.new > 0 }).toMatchObject({
      bothSeen: true,
    });
  }, 240_000);

  for (const point of ["rdb:mid-save", "rdb:before-rename"] as const) {
    it(`keeps the old dump when killed at the fault point ${point}`, async () => {
      const dir = tempDir("fault");
      let server = await engine(dir);
      await writeRound(server, 1);
      expect(await server.client().call("SAVE")).toBe("OK");
      await server.kill("SIGTERM");
      server = await engine(dir, { PERSISTLAB_FAULT_POINT: point });
      await writeRound(server, 2);
      expect(await server.client().call("BGSAVE")).toBe("Background saving started");
      const { signal } = await server.exited;
      expect(signal).toBe("SIGKILL");
      expect(server.output()).toContain(`fault point ${point} reached`);
      expect(roundInDump(dir)).toBe("1");
      // The temp file is what a crashed save leaves; it is never loaded.
      expect(readdirSync(dir).some((name) => name.startsWith("temp-"))).toBe(true);
      server = await engine(dir);
      expect(await server.client().call("GET", "round")).toBe("1");
    });
  }
});
