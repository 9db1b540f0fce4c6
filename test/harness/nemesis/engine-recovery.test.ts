// The nemesis's building blocks on real engines (redis-server 7.0 and the bundled engine): the INFO tracker
// dates a completed BGSAVE no later than the command that started it; a torn AOF tail is refused under
// aof-load-truncated no, repaired with the engine's own check-aof --fix, and the data read back.
import { describe, expect, it } from "vitest";
import { truncate, stat } from "node:fs/promises";
import { join } from "node:path";
import { createEngine } from "../../../src/harness/engines/create-engine.ts";
import { sendCommands } from "../../../src/harness/engines/raw-client.ts";
import type { EngineKind } from "../../../src/harness/engines/types.ts";
import { PersistenceTracker } from "../../../src/harness/nemesis/persistence-tracker.ts";
import { readDataSet } from "../../../src/harness/nemesis/read-back.ts";
import { createRepairTools } from "../../../src/harness/nemesis/repair-tools.ts";
import { startWithRepair } from "../../../src/harness/nemesis/start-with-repair.ts";
import { getStrategyTraits } from "../../../src/harness/nemesis/strategy-traits.ts";
import { SKIP_WITHOUT_REDIS } from "../helpers/redis.ts";

const ENGINES: EngineKind[] = SKIP_WITHOUT_REDIS ? ["bundled"] : ["redis-server", "bundled"];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)("nemesis building blocks on %s", (kind) => {
  it("the tracker bounds the start of a completed BGSAVE by the time it was asked for", async () => {
    const engine = createEngine({ kind });
    const instance = await engine.create({ config: { save: "" }, label: "tracker" });
    const began = performance.now();
    const nowUs = (): number => Math.round((performance.now() - began) * 1000);
    const tracker = new PersistenceTracker({ endpoint: instance.endpoint, nowUs, intervalMs: 10 });
    try {
      await instance.start();
      tracker.beginIncarnation(nowUs());
      tracker.start();
      await sendCommands(instance.endpoint, [
        ["SET", "a", "1"],
        ["SET", "b", "2"],
      ]);
      await sleep(50);
      expect(tracker.lastCompletedSaveStartUs()).toBeNull();
      const askedUs = nowUs();
      const [reply] = await sendCommands(instance.endpoint, [["BGSAVE"]]);
      expect(String(reply)).toMatch(/Background saving started/);
      const done = await tracker.waitFor(() => tracker.completedSaves() > 0, 10_000);
      expect(done).toBeDefined();
      const startedUs = tracker.lastCompletedSaveStartUs();
      expect(startedUs).not.toBeNull();
      expect(startedUs as number).toBeLessThanOrEqual(askedUs + 1000);
      expect(startedUs as number).toBeGreaterThan(askedUs - 100_000);
      tracker.beginIncarnation(nowUs());
      expect(tracker.lastCompletedSaveStartUs()).toBeNull();
    } finally {
      await tracker.stop();
      await instance.dispose();
    }
  });

  it("a torn AOF tail is refused under aof-load-truncated no, then fixed with check-aof --fix", async () => {
    const engine = createEngine({ kind });
    const config = {
      appendonly: "yes",
      appendfsync: "always",
      "aof-use-rdb-preamble": "no",
      "aof-load-truncated": "no",
    };
    const instance = await engine.create({ config, label: "repair" });
    try {
      await instance.start();
      const commands = Array.from({ length: 50 }, (_, i) => ["SET", `key:${i}`, `w${i}|value`]);
      await sendCommands(instance.endpoint, commands);
      await instance.kill("SIGKILL");
      const incr = join(instance.dataDir as string, "appendonlydir", "appendonly.aof.1.incr.aof");
      await truncate(incr, (await stat(incr)).size - 5);
      const traits = getStrategyTraits(config);
      const outcome = await startWithRepair({
        start: () => instance.start({ timeoutMs: 30_000 }),
        logTail: () => instance.logTail(),
        dataDir: instance.dataDir as string,
        traits,
        tools: createRepairTools(await engine.describe()),
        repair: "auto",
        wipeAsLastResort: false,
      });
      expect(outcome.refusal).toMatch(/end of file|truncat|check-aof/i);
      expect(outcome).toMatchObject({ restart: "repaired", running: true });
      expect(outcome.repairs[0]?.action).toBe("check-aof --fix");
      expect(outcome.repairs[0]?.tool?.exitCode).toBe(0);
      const data = await readDataSet(instance.endpoint);
      expect(data.size).toBe(49);
      expect(data.get("key:48")).toBe("w48|value");
      expect(data.has("key:49")).toBe(false);
    } finally {
      await instance.dispose();
    }
  });
});
