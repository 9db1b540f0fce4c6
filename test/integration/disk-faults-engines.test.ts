// Each disk fault against the bundled engine and Debian's redis-server 7.0.15 through the same shim: both
// must answer alike (exit under always, MISCONF under everysec/no and after a failed BGSAVE, heal when the
// disk does, stay refused after a failed background fsync as Redis 7.0 does) and neither may acknowledge a
// write it could not persist under always.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../src/harness/engines/ports.ts";
import { compilePowerLossShim } from "../../src/harness/shim/compile-shim.ts";
import { DiskFaultControl, type DiskFaultSetting } from "../../src/harness/shim/disk-fault-control.ts";
import {
  launchServer,
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  sendInlineCommand,
  sleep,
  waitForPing,
  type LaunchedServer,
} from "../helpers/servers.ts";

const shim = await compilePowerLossShim();
const roots: string[] = [];
const ENGINES = ["engine", "redis"] as const;
type Kind = (typeof ENGINES)[number];

interface Faulted {
  server: LaunchedServer;
  port: number;
  control: DiskFaultControl;
  set(key: string): Promise<string>;
}

async function startFaulted(kind: Kind, persistence: readonly string[]): Promise<Faulted> {
  if (!shim.available) throw new Error(shim.reason);
  const root = makeTempDir(`disk-fault-${kind}`);
  roots.push(root);
  const dir = join(root, "data");
  mkdirSync(dir);
  const control = DiskFaultControl.create(join(root, "fault.ctl"));
  const port = await findFreePort();
  const env = { LD_PRELOAD: shim.libraryPath, PERSISTLAB_POWERLOSS_DIR: dir, UV_USE_IO_URING: "0", ...control.env() };
  const server = launchServer(kind, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...persistence], {
    env,
  });
  if (!(await waitForPing(port, server.isRunning, 20_000)))
    throw new Error(`${kind} did not start:\n${server.output()}`);
  const set = (key: string): Promise<string> => sendInlineCommand(port, `SET ${key} v`, 3000);
  return { server, port, control, set };
}

async function stop(faulted: Faulted): Promise<void> {
  faulted.control.close();
  if (faulted.server.isRunning() && faulted.server.child.pid !== undefined) {
    process.kill(faulted.server.child.pid, "SIGKILL");
    await faulted.server.exited;
  }
}

// Sends SETs every 100 ms until one answers with a line matching `until` (or the server exits); returns the last answer.
async function setUntil(faulted: Faulted, until: RegExp, limitMs: number): Promise<string> {
  const deadline = Date.now() + limitMs;
  let answer = "";
  for (let n = 0; Date.now() < deadline && faulted.server.isRunning(); n++) {
    answer = await faulted.set(`k${n}`);
    if (until.test(answer)) return answer;
    await sleep(100);
  }
  return answer;
}

const AOF = (policy: string): string[] => ["--appendonly", "yes", "--appendfsync", policy, "--save", ""];
const EIO: DiskFaultSetting = { kind: "write-eio" };

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe.skipIf(SKIP_WITHOUT_REDIS || !shim.available)(
  "disk faults: the engine answers as redis-server 7.0 does",
  () => {
    for (const kind of ENGINES) {
      describe(kind, () => {
        it("appendfsync always + write-eio: exits with Redis's words, acknowledging nothing", async () => {
          const faulted = await startFaulted(kind, AOF("always"));
          expect(await faulted.set("before")).toBe("+OK");
          faulted.control.set(EIO);
          const answer = await faulted.set("during");
          const exit = await faulted.server.exited;
          expect(answer).not.toBe("+OK");
          expect(exit.code).toBe(1);
          expect(faulted.server.output()).toContain(
            "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
          );
          await stop(faulted);
        }, 40_000);

        it("appendfsync always + fsync-eio: exits, acknowledging nothing", async () => {
          const faulted = await startFaulted(kind, AOF("always"));
          faulted.control.set({ kind: "fsync-eio", dropUnsynced: true });
          const answer = await faulted.set("during");
          const exit = await faulted.server.exited;
          expect(answer).not.toBe("+OK");
          expect(exit.code).toBe(1);
          expect(faulted.server.output()).toContain(
            "Can't persist AOF for fsync error when the AOF fsync policy is 'always': Input/output error. Exiting...",
          );
          await stop(faulted);
        }, 40_000);

        it("appendfsync everysec + write-eio: MISCONF while the disk fails, writes again once it heals", async () => {
          const faulted = await startFaulted(kind, AOF("everysec"));
          faulted.control.set(EIO);
          expect(await setUntil(faulted, /^-MISCONF/, 5000)).toBe(
            "-MISCONF Errors writing to the AOF file: Input/output error",
          );
          faulted.control.set(null);
          expect(await setUntil(faulted, /^\+OK/, 5000)).toBe("+OK");
          expect(faulted.server.isRunning()).toBe(true);
          await stop(faulted);
        }, 40_000);

        it("appendfsync everysec + fsync-eio: a failed background fsync refuses writes (and PING) until a later one succeeds, which takes new writes", async () => {
          const faulted = await startFaulted(kind, AOF("everysec"));
          faulted.control.set({ kind: "fsync-eio", dropUnsynced: true });
          expect(await faulted.set("last")).toBe("+OK");
          const ping = async (): Promise<string> => {
            const deadline = Date.now() + 6000;
            let answer = "";
            while (Date.now() < deadline && !answer.startsWith("-MISCONF")) {
              answer = await sendInlineCommand(faulted.port, "PING");
              await sleep(100);
            }
            return answer;
          };
          expect(await ping()).toBe("-MISCONF Errors writing to the AOF file: Input/output error");
          faulted.control.set(null);
          await sleep(2500);
          // Nothing new was written since the failed fsync, so no fsync is retried: Redis 7.0 stays refused.
          expect(await faulted.set("after")).toBe("-MISCONF Errors writing to the AOF file: Input/output error");
          expect(faulted.control.counters().bytesDropped).toBeGreaterThan(0);
          await stop(faulted);
        }, 40_000);

        it("appendfsync no + disk-full: MISCONF with ENOSPC's text, healed when space comes back", async () => {
          const faulted = await startFaulted(kind, AOF("no"));
          faulted.control.set({ kind: "disk-full" });
          expect(await setUntil(faulted, /^-MISCONF/, 5000)).toBe(
            "-MISCONF Errors writing to the AOF file: No space left on device",
          );
          faulted.control.set(null);
          expect(await setUntil(faulted, /^\+OK/, 5000)).toBe("+OK");
          await stop(faulted);
        }, 40_000);

        it("RDB + read-only: a failed BGSAVE refuses writes with the stop-writes-on-bgsave-error MISCONF", async () => {
          const faulted = await startFaulted(kind, ["--appendonly", "no", "--save", "3600 1"]);
          expect(await faulted.set("before")).toBe("+OK");
          faulted.control.set({ kind: "read-only" });
          expect(await sendInlineCommand(faulted.port, "BGSAVE")).toMatch(/^\+Background saving started/);
          expect(await setUntil(faulted, /^-MISCONF/, 8000)).toMatch(
            /^-MISCONF Redis is configured to save RDB snapshots/,
          );
          await stop(faulted);
        }, 40_000);

        it("appendfsync always + slow-fsync: acknowledged, each write waiting for its slow fsync", async () => {
          const faulted = await startFaulted(kind, AOF("always"));
          faulted.control.set({ kind: "slow-fsync", delayMs: { min: 250, max: 250 }, seed: 1 });
          const started = performance.now();
          expect(await faulted.set("slow")).toBe("+OK");
          expect(performance.now() - started).toBeGreaterThanOrEqual(240);
          expect(faulted.control.counters().syncsDelayed).toBeGreaterThanOrEqual(1);
          await stop(faulted);
        }, 40_000);
      });
    }
  },
);
