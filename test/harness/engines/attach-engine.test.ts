// attach mode: measures a server we did not start; one run, config read back, no restart, never stopped.
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../../../src/harness/engines/create-engine.ts";
import { runScenario } from "../../../src/harness/run/run-scenario.ts";
import { parseScenario } from "../../../src/harness/scenario/load.ts";
import { SKIP_WITHOUT_REDIS } from "../helpers/redis.ts";

describe.skipIf(SKIP_WITHOUT_REDIS)("attach engine", () => {
  it("runs the workload once against a running server and leaves it running", async () => {
    const owner = await createEngine({ kind: "redis-server" }).create({
      config: { appendonly: "yes" },
      label: "attach-target",
    });
    await owner.start();
    try {
      const scenario = parseScenario({ name: "attach", strategies: ["none", "rdb"], duration: "500ms", clients: 2 });
      const outDir = mkdtempSync(join(tmpdir(), "persistlab-attach-"));
      const engine = createEngine({ kind: "attach", port: owner.endpoint.port });
      const results = await runScenario({
        scenario,
        engine,
        outDir,
        signal: new AbortController().signal,
        skipDiskProbe: true,
        extensions: [],
      });
      expect(results.environment.engine).toMatchObject({ kind: "attach", name: "attached" });
      expect(results.runs).toHaveLength(1);
      const run = results.runs[0];
      expect(run).toMatchObject({ strategy: "attached", status: "ok" });
      expect(run?.config["appendonly"]).toBe("yes");
      expect(run?.metrics.throughput.opsPerSec).toBeGreaterThan(0);
      expect(run?.metrics.recovery).toEqual({ measured: false, reason: "attach mode cannot restart the engine" });
      expect(run?.metrics.fsync).toMatchObject({ measured: false, reason: expect.stringContaining("attach") });
      expect(owner.isRunning()).toBe(true);
    } finally {
      await owner.dispose();
    }
  });
});
