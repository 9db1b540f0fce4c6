// The CLI under Deno 2, straight from the TypeScript sources: validate, then a quick smoke run on redis-server.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SKIP_WITHOUT_REDIS } from "../harness/helpers/redis.ts";

const ROOT = join(import.meta.dirname, "../..");
const DENO = join(ROOT, "node_modules/.bin/deno");

describe.skipIf(!existsSync(DENO) || SKIP_WITHOUT_REDIS)("persistlab under Deno", () => {
  it("validates and runs the smoke scenario", async () => {
    const validate = await execa(DENO, ["run", "-A", "bin/persistlab.ts", "validate", "scenarios/smoke.json"], {
      cwd: ROOT,
      reject: false,
    });
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toContain("ok  ");
    const out = join(mkdtempSync(join(tmpdir(), "persistlab-deno-")), "out");
    const run = await execa(
      DENO,
      ["run", "-A", "bin/persistlab.ts", "run", "smoke", "--quick", "--engine", "redis-server", "--out", out],
      { cwd: ROOT, reject: false, timeout: 120_000 },
    );
    expect(run.exitCode).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      environment: { runtime: { name: string } };
      runs: Array<{ status: string }>;
    };
    expect(results.environment.runtime.name).toBe("deno");
    expect(results.runs.every((r) => r.status === "ok")).toBe(true);
  });
});
