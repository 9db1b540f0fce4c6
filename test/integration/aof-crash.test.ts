// SIGKILL at random moments under concurrent writers, for every appendfsync policy and during AOF
// rewrites (RDB-preamble and command bases): after each restart no acknowledged write is lost and no
// key holds a value that was never written, and the engine always starts.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  makeTempDir,
  startServer,
  waitFor,
  persistenceInfo,
  type ServerProcess,
} from "../engine/aof/support/processes.ts";
import { checkDurability, createWriteLog, runWriters, type WriteLog } from "../engine/aof/support/writers.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A small seeded PRNG (mulberry32) so a failing schedule can be replayed.
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function expectDurable(server: ServerProcess, log: WriteLog): Promise<void> {
  const report = await checkDurability(server.client(), log);
  expect(report.lostAcked, `acknowledged writes lost (${report.checkedKeys} keys checked)`).toEqual([]);
  expect(report.neverWritten, "values never written").toEqual([]);
}

// Runs writers, kills the server after a random delay (optionally while a rewrite runs), restarts, checks.
async function crashRounds(options: {
  policy: string;
  rounds: number;
  seed: number;
  extraArgs?: readonly string[];
  rewrite?: boolean;
}): Promise<{ acked: number; killsDuringRewrite: number }> {
  let killsDuringRewrite = 0;
  const dir = makeTempDir(`crash-${options.policy}`);
  dirs.push(dir);
  const args = ["--appendonly", "yes", "--appendfsync", options.policy, ...(options.extraArgs ?? [])];
  const random = createRandom(options.seed);
  const log = createWriteLog();
  for (let round = 0; round < options.rounds; round += 1) {
    const server = await startServer("engine", { dir, args });
    if (round > 0) await expectDurable(server, log);
    let stop = false;
    const clients = Array.from({ length: 8 }, () => server.client());
    const ackedBefore = log.ackedCount;
    const writing = runWriters({ clients, keysPerWriter: 40, shouldStop: () => stop, log });
    // Under a loaded machine the first acknowledgements can take a while: kill only once writes flow.
    await waitFor("writes to be acknowledged", () => log.ackedCount >= ackedBefore + 30, 30_000);
    if (options.rewrite === true) {
      await sleep(random() * 150);
      await server.client().bgrewriteaof();
      // Kill while the rewrite is in progress (or just finished, at random).
      await sleep(random() * 300);
      if ((await persistenceInfo(server.client()))["aof_rewrite_in_progress"] === "1") killsDuringRewrite += 1;
    } else {
      await sleep(random() * 400);
    }
    await server.crash();
    stop = true;
    await writing;
  }
  const server = await startServer("engine", { dir, args });
  await expectDurable(server, log);
  await server.stop();
  return { acked: log.ackedCount, killsDuringRewrite };
}

describe.each(["always", "everysec", "no"])("SIGKILL under appendfsync %s", (policy) => {
  it("keeps every acknowledged write and invents nothing, restart after restart", async () => {
    const { acked } = await crashRounds({ policy, rounds: 4, seed: 7 + policy.length });
    expect(acked).toBeGreaterThan(100);
  }, 120_000);
});

describe.each([
  ["RDB preamble", "yes"],
  ["command base", "no"],
])("SIGKILL during AOF rewrites (%s)", (_label, preamble) => {
  it("always restarts with every acknowledged write", async () => {
    // rdb-key-save-delay stretches each rewrite so the kill lands inside it most of the time.
    const { acked, killsDuringRewrite } = await crashRounds({
      policy: "always",
      rounds: 5,
      seed: 11,
      rewrite: true,
      extraArgs: ["--aof-use-rdb-preamble", preamble, "--rdb-key-save-delay", "500"],
    });
    expect(acked).toBeGreaterThan(100);
    expect(killsDuringRewrite).toBeGreaterThan(0);
  }, 180_000);
});

describe("a rewrite under concurrent writers", () => {
  it("finishes, and the rewritten AOF holds exactly the acknowledged data", async () => {
    const dir = makeTempDir("rewrite-load");
    dirs.push(dir);
    const args = ["--appendonly", "yes", "--appendfsync", "everysec"];
    const server = await startServer("engine", { dir, args });
    const log = createWriteLog();
    let stop = false;
    const writing = runWriters({
      clients: Array.from({ length: 6 }, () => server.client()),
      keysPerWriter: 500,
      shouldStop: () => stop,
      log,
    });
    await sleep(300);
    const admin = server.client();
    expect(await admin.bgrewriteaof()).toBe("Background append only file rewriting started");
    await waitFor(
      "a finished rewrite",
      async () =>
        (await persistenceInfo(admin))["aof_rewrites"] === "1" &&
        (await persistenceInfo(admin))["aof_rewrite_in_progress"] === "0",
    );
    await sleep(200);
    stop = true;
    await writing;
    await server.stop();
    const restarted = await startServer("engine", { dir, args });
    await expectDurable(restarted, log);
    await restarted.stop();
  }, 60_000);
});
