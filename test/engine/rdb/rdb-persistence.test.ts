// The RDB half of persistence in-process: BGSAVE SCHEDULE waits for the other background job and
// the cron starts it; save points fire after `seconds` with `changes`; a failed background save
// turns on MISCONF (with stop-writes-on-bgsave-error) until a save succeeds.
import { mkdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/engine/config/load-config.ts";
import { createLogger } from "../../../src/engine/log.ts";
import { createRdbPersistence } from "../../../src/engine/persistence/rdb-persistence.ts";
import { createSharedState } from "../../../src/engine/persistence/shared-state.ts";
import { listCommands } from "../../../src/engine/commands/registry.ts";
import { createServerContext } from "../../../src/engine/server/context.ts";
import type { ServerContext } from "../../../src/engine/server/context-types.ts";
import { tempDir } from "./helpers.ts";

function setup(args: string[]): {
  context: ServerContext;
  dir: string;
  shared: ReturnType<typeof createSharedState>;
  rdb: ReturnType<typeof createRdbPersistence>;
} {
  const dir = tempDir("inproc");
  const config = loadConfig(["--loglevel", "warning", ...args]);
  // A path, not a file name (the directive refuses paths, as Redis): keeps the test process's cwd.
  config.settings.dbfilename = join(dir, "dump.rdb");
  const context = createServerContext({
    config,
    log: createLogger({ level: "nothing", logfile: "" }),
    commands: listCommands(),
  });
  const shared = createSharedState();
  return { context, dir, shared, rdb: createRdbPersistence(context, shared) };
}

describe("RDB persistence state machine", () => {
  it("schedules BGSAVE while another background job runs, then the cron starts it", async () => {
    const { context, dir, shared, rdb } = setup(["--save", ""]);
    context.keyspace.database(0).set("k", "v");
    shared.backgroundJob = "aof-rewrite";
    expect(rdb.requestBackgroundSave({ schedule: false })).toBe("other-job-running");
    expect(rdb.requestBackgroundSave({ schedule: true })).toBe("scheduled");
    rdb.cron();
    expect(rdb.backgroundSaveDone()).toBeNull();
    shared.backgroundJob = null;
    rdb.cron();
    expect(shared.bgsaveScheduled).toBe(false);
    expect(shared.backgroundJob).toBe("rdb-bgsave");
    expect(rdb.requestBackgroundSave({ schedule: true })).toBe("already-in-progress");
    await rdb.backgroundSaveDone();
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    expect(rdb.infoRdb()).toContainEqual(["rdb_saves", 1]);
  });

  it("fires a save point once changes and seconds are reached", async () => {
    const { context, rdb } = setup(["--save", "1 2"]);
    const started = rdb.lastSaveSec;
    context.keyspace.dirty = 1;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    rdb.cron();
    expect(rdb.backgroundSaveDone()).toBeNull();
    context.keyspace.dirty = 2;
    rdb.cron();
    expect(rdb.backgroundSaveDone()).not.toBeNull();
    await rdb.backgroundSaveDone();
    expect(rdb.lastSaveSec).toBeGreaterThan(started);
    expect(context.keyspace.dirty).toBe(0);
  });

  it("answers MISCONF after a failed background save until a save succeeds", async () => {
    const { dir, rdb } = setup(["--save", "3600 1"]);
    mkdirSync(join(dir, "dump.rdb"));
    expect(rdb.requestBackgroundSave({ schedule: false })).toBe("started");
    await rdb.backgroundSaveDone();
    expect(rdb.infoRdb()).toContainEqual(["rdb_last_bgsave_status", "err"]);
    expect(rdb.writeError()).toMatch(/^MISCONF /);
    expect(existsSync(join(dir, `temp-bgsave-${process.pid}.rdb`))).toBe(false);
    rmSync(join(dir, "dump.rdb"), { recursive: true });
    rdb.requestBackgroundSave({ schedule: false });
    await rdb.backgroundSaveDone();
    expect(rdb.writeError()).toBeNull();
  });

  it("refuses writes only when save points exist and stop-writes-on-bgsave-error is on", async () => {
    const { dir, rdb, context } = setup(["--save", "3600 1", "--stop-writes-on-bgsave-error", "no"]);
    mkdirSync(join(dir, "dump.rdb"));
    rdb.requestBackgroundSave({ schedule: false });
    await rdb.backgroundSaveDone();
    expect(rdb.writeError()).toBeNull();
    context.settings.stopWritesOnBgsaveError = true;
    expect(rdb.writeError()).not.toBeNull();
    context.settings.save = [];
    expect(rdb.writeError()).toBeNull();
  });
});
