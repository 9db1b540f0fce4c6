// ChaosRun before the first start: power loss puts the shim into the engine's environment, or, where the
// shim cannot be built, says so clearly and leaves the faults as plain kills; the first start is never armed
// with a fault point; an environment set before (the fsync tracer's) is kept.
import { describe, expect, it, vi } from "vitest";
import type { EngineInstance } from "../../../src/harness/engines/types.ts";
import { ChaosRun } from "../../../src/harness/nemesis/chaos-run.ts";
import { nemesisSchema, resolveNemesis } from "../../../src/harness/nemesis/config.ts";
import type { PlannedRun } from "../../../src/harness/scenario/plan.ts";

const RUN = {
  id: "aof-always#1",
  index: 0,
  strategy: { name: "aof-always", config: {} },
  repetition: 1,
  seed: 9,
  phases: [],
} satisfies PlannedRun;

// An engine instance that only records the environment it is given.
function fakeEngine(): EngineInstance & { environments: Array<Readonly<Record<string, string>>> } {
  const environments: Array<Readonly<Record<string, string>>> = [];
  return {
    kind: "bundled",
    endpoint: { host: "127.0.0.1", port: 1 },
    dataDir: "/tmp/persistlab-fake/data",
    config: { appendonly: "yes", appendfsync: "always" },
    capabilities: { restart: true, pid: true },
    environments,
    pid: () => undefined,
    isRunning: () => false,
    start: async () => ({ readyMs: 0 }),
    kill: async () => ({ exitCode: 0, signal: undefined }),
    stop: async () => ({ exitCode: 0, signal: undefined }),
    waitExit: async () => ({ exitCode: 0, signal: undefined }),
    dispose: async () => undefined,
    logTail: () => "",
    setEnvironment: (environment) => {
      environments.push(environment);
    },
    getEnvironment: () => environments.at(-1) ?? { TRACE: "1" },
  };
}

describe("ChaosRun.prepare", () => {
  it("puts the power-loss shim into the environment of every start, never a fault point on the first", async () => {
    const config = resolveNemesis(
      nemesisSchema.parse({
        kills: 3,
        faults: { "fault-point": 1 },
        faultPoints: ["rdb:before-rename"],
        powerLoss: true,
      }),
    );
    const engine = fakeEngine();
    const chaos = new ChaosRun({
      config,
      run: RUN,
      engine,
      preparePowerLoss: async () => ({
        available: true,
        fault: {
          libraryPath: "/lib/shim.so",
          environment: (dir: string) => ({ LD_PRELOAD: "/lib/shim.so", PERSISTLAB_POWERLOSS_DIR: dir }),
          journalPath: (dir: string) => `${dir}.log`,
          cut: async () => {
            throw new Error("unused");
          },
          fsyncLatency: async () => {
            throw new Error("unused");
          },
        },
      }),
    });
    await chaos.prepare(engine);
    expect(chaos.schedule[0]?.kind).toBe("fault-point");
    expect(chaos.powerLossUnavailable).toBeUndefined();
    expect(engine.environments).toEqual([
      { TRACE: "1", LD_PRELOAD: "/lib/shim.so", PERSISTLAB_POWERLOSS_DIR: "/tmp/persistlab-fake/data" },
    ]);
  });

  it("says clearly when the shim is unavailable and skips only the power cut", async () => {
    const config = resolveNemesis(nemesisSchema.parse({ kills: 3, powerLoss: true }));
    const engine = fakeEngine();
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const chaos = new ChaosRun({
        config,
        run: RUN,
        engine,
        preparePowerLoss: async () => ({ available: false, reason: "power-loss fault unavailable: gcc not found" }),
      });
      await chaos.prepare(engine);
      expect(chaos.powerLossUnavailable).toBe("power-loss fault unavailable: gcc not found");
      expect(engine.environments).toEqual([{ TRACE: "1" }]);
      expect(chaos.schedule).toHaveLength(3);
      expect(String(stderr.mock.calls[0]?.[0])).toContain(
        "gcc not found; the power-loss fault is skipped (faults stay plain kills) in run aof-always#1",
      );
    } finally {
      stderr.mockRestore();
    }
  });
});
