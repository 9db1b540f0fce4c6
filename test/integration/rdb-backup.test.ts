// The backup recipe: trigger BGSAVE, wait for LASTSAVE to change, copy dump.rdb. The copy is a
// complete dump of the data set as of the BGSAVE, and copying dump.rdb while a BGSAVE runs is safe
// too (the new file only appears by an atomic rename, so a copy is always one whole file).
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Keyspace } from "../../src/engine/keyspace/keyspace.ts";
import { loadRdbBuffer } from "../../src/engine/persistence/rdb/rdb-loader.ts";
import {
  SKIP_WITHOUT_REDIS,
  buildInteropDataset,
  diffDatasets,
  readDataset,
  sleep,
  startServer,
  tempDir,
  writeDataset,
  type TestServer,
} from "../engine/rdb/helpers.ts";

const started: TestServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill("SIGKILL");
});

async function engine(dir: string, args: readonly string[] = []): Promise<TestServer> {
  const server = await startServer({ kind: "engine", dir, args: ["--save", "", ...args] });
  started.push(server);
  return server;
}

describe.skipIf(SKIP_WITHOUT_REDIS)("backup recipe", () => {
  it("BGSAVE, wait for LASTSAVE to change, copy dump.rdb: the copy restores the data set", async () => {
    const dir = tempDir("backup-src");
    const expected = buildInteropDataset(Date.now());
    const server = await engine(dir);
    const client = server.client();
    await writeDataset(client, expected);
    const before = Number(await client.call("LASTSAVE"));
    // LASTSAVE has one-second resolution: make sure a new save gets a new value.
    await sleep(1100);
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    for (let attempt = 0; attempt < 400 && Number(await client.call("LASTSAVE")) === before; attempt += 1)
      await sleep(25);
    expect(Number(await client.call("LASTSAVE"))).toBeGreaterThan(before);
    const backupDir = tempDir("backup-copy");
    copyFileSync(join(dir, "dump.rdb"), join(backupDir, "dump.rdb"));
    expect(execFileSync("redis-check-rdb", [join(backupDir, "dump.rdb")], { encoding: "utf8" })).toContain(
      "RDB looks OK",
    );
    const restored = await engine(backupDir);
    expect(diffDatasets(await readDataset(restored.client()), expected)).toBeNull();
  });

  it("copies taken while a BGSAVE runs are always whole dumps (the old one until the rename)", async () => {
    const dir = tempDir("backup-live");
    const server = await engine(dir, ["--rdb-key-save-delay", "50"]);
    const client = server.client();
    const writeAll = async (tag: string): Promise<void> => {
      for (let start = 0; start < 20_000; start += 1000) {
        await client.call(
          "MSET",
          ...Array.from({ length: 1000 }, (_, index) => [`k${start + index}`, `${tag}`]).flat(),
        );
      }
    };
    await writeAll("first");
    expect(await client.call("SAVE")).toBe("OK");
    await writeAll("second");
    expect(await client.call("BGSAVE")).toBe("Background saving started");
    // Writes during the save do not reach it.
    const late = writeAll("third");
    const tags = new Set<string>();
    let copies = 0;
    for (;;) {
      const copy = readFileSync(join(dir, "dump.rdb"));
      const keyspace = new Keyspace(16);
      loadRdbBuffer(copy, keyspace, { fileName: `copy ${copies}`, nowMs: Date.now() });
      const values = new Set([...keyspace.database(0).dict.values()] as string[]);
      expect(values.size).toBe(1);
      tags.add([...values][0]!);
      copies += 1;
      const info = String(await client.call("INFO", "persistence"));
      if (info.includes("rdb_bgsave_in_progress:0")) break;
      await sleep(20);
    }
    await late;
    const final = new Keyspace(16);
    loadRdbBuffer(readFileSync(join(dir, "dump.rdb")), final, { fileName: "final", nowMs: Date.now() });
    expect(new Set(final.database(0).dict.values())).toEqual(new Set(["second"]));
    expect(copies).toBeGreaterThan(3);
    expect(tags.has("first")).toBe(true);
    expect(tags.has("third")).toBe(false);
  });
});
