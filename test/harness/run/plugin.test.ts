// The run loop's plug-in interface with a nemesis-like plugin: it kills the engine mid-phase and restarts it
// while the workload runs; clients must record fail/info, reconnect, and the check hook must see the history
// and the final data set.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../../../src/harness/engines/create-engine.ts";
import { sendCommands } from "../../../src/harness/engines/raw-client.ts";
import { runScenario } from "../../../src/harness/run/run-scenario.ts";
import type { RunPlugin } from "../../../src/harness/run/plugin.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { SKIP_WITHOUT_REDIS } from "../helpers/redis.ts";
import { HISTORY_FILE, readHistoryContents } from "../../../src/harness/history/history-file.ts";

describe.skipIf(SKIP_WITHOUT_REDIS).each(["resp", "ioredis"] as const)("run plugins (%s client)", (client) => {
  it("lets a plugin kill and restart the engine under load, then check the final data set", async () => {
    const calls: string[] = [];
    let checkedKeys = -1;
    let historyWrites = 0;
    const plugin: RunPlugin = {
      name: "test-nemesis",
      needsHistory: true,
      async setup() {
        calls.push("setup");
      },
      async during(ctx, info, signal) {
        calls.push(`during:${info.phase.name}`);
        if (info.phase.name !== "steady") return;
        await new Promise((r) => setTimeout(r, 400));
        await ctx.kill("SIGKILL");
        await new Promise((r) => setTimeout(r, 200));
        await ctx.startEngine();
        await new Promise<void>((r) =>
          signal.aborted ? r() : signal.addEventListener("abort", () => r(), { once: true }),
        );
      },
      async final() {
        calls.push("final");
      },
      async check(ctx) {
        calls.push("check");
        const [size] = await sendCommands(ctx.endpoint, [["DBSIZE"]]);
        checkedKeys = size as number;
        historyWrites = ctx.history.ops().length;
        return {
          durability: {
            kills: 1,
            acked: 0,
            lost: 0,
            corrupt: 0,
            lossWindowMs: { max: 0, p50: 0 },
            survivedUnacked: 0,
            failedRestarts: 0,
            repairs: 0,
            verdict: "unknown",
          },
        };
      },
      async teardown() {
        calls.push("teardown");
      },
    };
    const scenario = parseScenario({
      name: "plugin-test",
      strategies: ["aof-always"],
      workload: { keys: { count: 500 }, mix: { SET: 1 }, opTimeout: "500ms", client },
      phases: [
        { name: "warmup", duration: "200ms", clients: 4, record: false },
        { name: "steady", duration: "3000ms", clients: 4 },
      ], // room for restart + reconnect on a loaded machine
    });
    const outDir = mkdtempSync(join(tmpdir(), "persistlab-plugin-"));
    const results = await runScenario({
      scenario,
      engine: createEngine({ kind: "redis-server" }),
      outDir,
      signal: new AbortController().signal,
      plugins: [plugin],
      extensions: [],
      skipDiskProbe: true,
    });
    const run = results.runs[0];
    expect(run?.status).toBe("ok");
    expect(calls).toEqual(["setup", "during:warmup", "during:steady", "final", "check", "teardown"]);
    const types = run?.events.map((e) => e.type) ?? [];
    expect(types).toEqual(expect.arrayContaining(["kill", "restart", "ready", "outage-start", "outage-end"]));
    const m = run?.metrics;
    expect((m?.throughput.fail ?? 0) + (m?.throughput.info ?? 0)).toBeGreaterThan(0);
    expect(m?.availability.outages.length).toBeGreaterThanOrEqual(1);
    expect(m?.availability.outages[0]?.endMs).toBeDefined();
    // Ok ops resumed after the restart.
    const readyAt = run?.events.filter((e) => e.type === "ready").at(-2)?.tMs ?? Infinity;
    expect(m?.throughput.timeline.some((b) => b.tMs > readyAt && b.ok > 0)).toBe(true);
    expect(m?.durability?.kills).toBe(1);
    expect(checkedKeys).toBeGreaterThan(0);
    expect(historyWrites).toBe(run?.historyOps);
    // history.jsonl.gz carries the run id and Jepsen-style outcomes; the run's plain spool is gone.
    expect(readdirSync(outDir).filter((name) => name.startsWith("history"))).toEqual([HISTORY_FILE]);
    const contents = await readHistoryContents(join(outDir, HISTORY_FILE));
    const lines = contents.ops as unknown as Array<Record<string, unknown>>;
    // Writes refused before sending while the engine was down are runs (one line per client and run).
    expect(contents.refused.length).toBeGreaterThan(0);
    expect(lines.length + contents.refused.reduce((sum, record) => sum + record.refused.count, 0)).toBe(
      run?.historyOps,
    );
    expect(lines[0]).toMatchObject({ run: "aof-always#1", f: "SET", type: "ok" });
    expect(lines.some((l) => l["type"] === "ok")).toBe(true);
    expect(lines.some((l) => l["type"] === "fail" || l["type"] === "info")).toBe(true);
  });
});
