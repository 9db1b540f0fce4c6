// `persistlab check-rdb <file>` (the harness CLI) runs the engine's checker: exit 0 and the findings
// for a valid dump, exit 1 and the first error with its offset for a damaged one.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RdbFileBuilder } from "../engine/rdb/file-builder.ts";
import { tempDir } from "../engine/rdb/helpers.ts";

const CLI = join(import.meta.dirname, "../../dist/bin/persistlab.js");

describe("persistlab check-rdb", () => {
  it("exits 0 with the findings for a valid file and 1 with the offset of the first error", () => {
    const dir = tempDir("cli");
    const file = new RdbFileBuilder()
      .aux("redis-ver", "7.0.15")
      .selectDb(0)
      .string("k", "v")
      .set("s", ["a", "b"])
      .finish();
    writeFileSync(join(dir, "ok.rdb"), file);
    const ok = spawnSync(process.execPath, [CLI, "check-rdb", join(dir, "ok.rdb")], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("RDB looks OK");
    expect(ok.stdout).toContain("[info] 2 keys read");
    const damaged = Buffer.from(file);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    writeFileSync(join(dir, "bad.rdb"), damaged);
    const bad = spawnSync(process.execPath, [CLI, "check-rdb", join(dir, "bad.rdb")], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`[offset ${file.length - 8}] wrong RDB checksum`);
    expect(bad.stderr).toContain("fails its CRC64 checksum");
  });
});
