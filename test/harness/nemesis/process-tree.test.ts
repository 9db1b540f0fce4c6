// The engine's process tree on real processes: a parent that forked children (as Redis forks for BGSAVE)
// is frozen, its descendants are listed and SIGKILLed, then the parent is killed by the caller.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isProcessAlive, killDescendants, listDescendants } from "../../../src/harness/nemesis/process-tree.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform !== "linux")("process tree", () => {
  it("lists and kills the children and grandchildren of a process, leaving the parent to the caller", async () => {
    // sh → (sleep, sh → sleep): two levels of descendants.
    const parent = spawn("sh", ["-c", "sleep 30 & sh -c 'sleep 30 & wait' & wait"], { stdio: "ignore" });
    const pid = parent.pid as number;
    let descendants: number[] = [];
    for (let attempt = 0; attempt < 100 && descendants.length < 3; attempt++) {
      await sleep(20);
      descendants = listDescendants(pid);
    }
    expect(descendants.length).toBe(3);
    const killed = await killDescendants(pid);
    expect(killed.sort()).toEqual([...descendants].sort());
    for (const child of killed) expect(isProcessAlive(child)).toBe(false);
    expect(isProcessAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => parent.once("exit", resolve));
    process.kill(pid, "SIGKILL");
    await exited;
    expect(isProcessAlive(pid)).toBe(false);
  });

  it("does nothing for a process that is gone", async () => {
    const child = spawn("true");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(await killDescendants(child.pid as number)).toEqual([]);
  });
});
