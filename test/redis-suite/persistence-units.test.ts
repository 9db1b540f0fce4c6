// Redis 7.0.15's own persistence test units that the engine passes (AOF, AOF rewrite; see CI_UNITS) run
// against the built engine through `scripts/redis-suite` (Debian's redis source fetched at run time
// and cached outside the repository). Needs tclsh, apt-get and dpkg-source: skipped without them
// locally, failing under CI=true.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runSuite } from "../../scripts/redis-suite/suite.ts";
import { CI_UNITS } from "../../scripts/redis-suite/units.ts";

function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const MISSING = ["tclsh", "apt-get", "dpkg-source"].filter((tool) => !hasTool(tool));
const SKIP = MISSING.length > 0 && process.env["CI"] !== "true";

describe.skipIf(SKIP)("Redis 7.0.15 persistence units on the engine", () => {
  it("has what the runner needs", () => {
    expect(MISSING, "install tcl and dpkg-dev (.ci/run does)").toEqual([]);
  });

  for (const unit of CI_UNITS) {
    it(`${unit} passes with no failure`, { timeout: 900_000 }, async () => {
      // Ports of its own (25079-26111), away from a manual `npm run test:redis-suite` (21079-24111).
      const results = await runSuite({ units: [unit], targets: ["engine"], log: () => {}, basePortOffset: 4000 });
      const result = results.engine[0];
      expect(result, `no result for ${unit}`).toBeDefined();
      if (result === undefined) return;
      expect(result.failures, `log: ${result.logFile}`).toEqual([]);
      // The unit ran (a unit whose tests are all in skip.txt, as integration/shutdown, counts only skips).
      expect(result.passed + result.upstream.length + result.skipped).toBeGreaterThan(0);
    });
  }
});
