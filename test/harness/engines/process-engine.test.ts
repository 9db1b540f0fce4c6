// Engine lifecycle on real redis-server: own port + data dir, readiness, kill/restart with the same data,
// graceful stop, cleanup, and no process left behind (also when the engine fails to start).
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { createEngine } from "../../../src/harness/engines/create-engine.ts";
import { renderConfigFile } from "../../../src/harness/engines/process-engine.ts";
import { getTrackedPids } from "../../../src/harness/engines/process-tracker.ts";
import { sendCommands } from "../../../src/harness/engines/raw-client.ts";
import { isAlive, SKIP_WITHOUT_REDIS } from "../helpers/redis.ts";

describe("renderConfigFile", () => {
  it("writes fixed directives, then the strategy's, quoting empty values", () => {
    const text = renderConfigFile({ port: 7001, dataDir: "/tmp/d", config: { appendonly: "yes", save: "" } });
    expect(text).toContain("port 7001\n");
    expect(text).toContain("bind 127.0.0.1\n");
    expect(text).toContain("dir /tmp/d\n");
    expect(text).toContain("appendonly yes\n");
    expect(text).toContain('save ""\n');
  });
});

describe.skipIf(SKIP_WITHOUT_REDIS)("process engine on redis-server", () => {
  it("starts, survives kill -9 with its data, stops and cleans up", async () => {
    const engine = createEngine({ kind: "redis-server" });
    expect((await engine.describe()).version).toMatch(/^\d+\.\d+\.\d+$/);
    const instance = await engine.create({ config: { appendonly: "yes", appendfsync: "always" }, label: "lifecycle" });
    expect(instance.endpoint.port).not.toBe(6379);
    const { readyMs } = await instance.start();
    expect(readyMs).toBeGreaterThan(0);
    const pid = instance.pid() as number;
    expect(getTrackedPids()).toContain(pid);
    expect(await sendCommands(instance.endpoint, [["SET", "k", "v"]])).toEqual(["OK"]);
    expect(await instance.kill("SIGKILL")).toEqual({ exitCode: undefined, signal: "SIGKILL" });
    expect(isAlive(pid)).toBe(false);
    expect(getTrackedPids()).not.toContain(pid);
    await instance.start();
    expect(await sendCommands(instance.endpoint, [["GET", "k"]])).toEqual(["v"]);
    const exit = await instance.stop();
    expect(exit).toEqual({ exitCode: 0, signal: undefined });
    await instance.dispose();
    expect(existsSync(instance.dataDir as string)).toBe(false);
  });

  it("fails start with the engine's own message when the config is bad, leaving nothing running", async () => {
    const instance = await createEngine({ kind: "redis-server" }).create({
      config: { appendfsync: "sometimes" },
      label: "bad",
    });
    await expect(instance.start({ timeoutMs: 5000 })).rejects.toThrow(/appendfsync|argument/i);
    expect(instance.isRunning()).toBe(false);
    expect(getTrackedPids()).toEqual([]);
    await instance.dispose();
  });
});
