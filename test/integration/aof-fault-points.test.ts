// Every fault point (docs/fault-points.md) under concurrent writers with AOF on: the engine kills
// itself exactly there, restarts without repair, and has every acknowledged write and nothing else.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ENGINE_BIN,
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  startServer,
  type ServerProcess,
} from "../engine/aof/support/processes.ts";
import { checkDurability, createWriteLog, runWriters, type WriteLog } from "../engine/aof/support/writers.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Runs a checker and returns its output whatever the exit code (the assertion shows it).
function runChecker(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout}${result.stderr}(exit ${result.status})`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How to reach each point once the engine runs with PERSISTLAB_FAULT_POINT set. */
const POINTS: readonly { point: string; trigger: (server: ServerProcess) => Promise<unknown> }[] = [
  { point: "aof:after-write-before-fsync", trigger: async () => {} },
  { point: "aof-manifest:before-rename", trigger: (server) => server.client().bgrewriteaof() },
  { point: "aof-rewrite:mid-base-write", trigger: (server) => server.client().bgrewriteaof() },
  { point: "aof-rewrite:before-manifest-swap", trigger: (server) => server.client().bgrewriteaof() },
  {
    point: "aof-rewrite:after-manifest-swap-before-history-delete",
    trigger: (server) => server.client().bgrewriteaof(),
  },
  { point: "rdb:mid-save", trigger: (server) => server.client().bgsave() },
  { point: "rdb:before-rename", trigger: (server) => server.client().bgsave() },
];

async function writeFor(
  server: ServerProcess,
  log: WriteLog,
  ms: number,
  during?: () => Promise<unknown>,
): Promise<void> {
  let stop = false;
  const writing = runWriters({
    clients: Array.from({ length: 6 }, () => server.client()),
    keysPerWriter: 200,
    shouldStop: () => stop,
    log,
  });
  await sleep(ms);
  if (during !== undefined) await during().catch(() => {});
  await Promise.race([server.exited, sleep(20_000)]);
  stop = true;
  await writing;
}

describe.each(["yes", "no"])("fault points with aof-use-rdb-preamble %s", (preamble) => {
  it.each(POINTS.map((entry) => [entry.point, entry] as const))(
    "%s: killed there, restarts with every acknowledged write",
    async (point, entry) => {
      const dir = makeTempDir("fault");
      dirs.push(dir);
      const args = ["--appendonly", "yes", "--appendfsync", "always", "--aof-use-rdb-preamble", preamble];
      const log = createWriteLog();

      const first = await startServer("engine", { dir, args });
      let stop = false;
      const preload = runWriters({
        clients: [first.client(), first.client()],
        keysPerWriter: 300,
        shouldStop: () => stop,
        log,
      });
      await sleep(300);
      stop = true;
      await preload;
      await first.stop();

      const faulty = await startServer("engine", { dir, args, env: { PERSISTLAB_FAULT_POINT: point } });
      await writeFor(faulty, log, 200, () => entry.trigger(faulty));
      const exit = await faulty.exited;
      expect(exit.signal, `the engine should have killed itself at ${point}:\n${faulty.output()}`).toBe("SIGKILL");
      expect(faulty.output()).toContain(`fault point ${point} reached`);

      const restarted = await startServer("engine", { dir, args });
      const report = await checkDurability(restarted.client(), log);
      expect(report.lostAcked).toEqual([]);
      expect(report.neverWritten).toEqual([]);
      await restarted.stop();
      const manifest = join(dir, "appendonlydir", "appendonly.aof.manifest");
      expect(runChecker(process.execPath, [ENGINE_BIN, "--check-aof", manifest])).toContain(
        "All AOF files and manifest are valid",
      );
      if (!SKIP_WITHOUT_REDIS)
        expect(runChecker("redis-check-aof", [manifest])).toContain("All AOF files and manifest are valid");
    },
    90_000,
  );
});
