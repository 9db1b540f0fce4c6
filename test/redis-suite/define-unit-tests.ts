// Defines one vitest test per Redis 7.0.15 unit, run against the built engine through `scripts/redis-suite`
// (Debian's redis source fetched at run time and cached outside the repository). The persistence units
// are split over two test files so that two workers run them side by side. Needs tclsh, apt-get and
// dpkg-source: skipped without them locally, failing under CI=true.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runSuite } from "../../scripts/redis-suite/suite.ts";
import { CI_UNITS } from "../../scripts/redis-suite/units.ts";

const AOF_UNITS = ["integration/aof", "integration/aof-multi-part", "integration/aof-race"];
/** CI's units in persistence-units.test.ts: the AOF units (about half of the time). */
export const FIRST_HALF = CI_UNITS.filter((unit) => AOF_UNITS.includes(unit));
/** CI's units in persistence-units-2.test.ts: every other one (AOF rewrite, RDB, shutdown). */
export const SECOND_HALF = CI_UNITS.filter((unit) => !AOF_UNITS.includes(unit));

function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * One test per unit, each expecting no failure. `portOffset` is added to runtest's base ports: each file
 * needs its own range (runtest uses about 1,030 ports from 21079 + offset), away from a manual
 * `npm run test:redis-suite` (offset 0: 21079-24111).
 */
export function defineUnitTests(title: string, units: readonly string[], portOffset: number): void {
  const missing = ["tclsh", "apt-get", "dpkg-source"].filter((tool) => !hasTool(tool));
  const skip = missing.length > 0 && process.env["CI"] !== "true";
  describe.skipIf(skip)(title, () => {
    it("has what the runner needs", () => {
      expect(missing, "install tcl and dpkg-dev (.ci/run does)").toEqual([]);
    });

    for (const unit of units) {
      it(`${unit} passes with no failure`, { timeout: 900_000 }, async () => {
        const results = await runSuite({
          units: [unit],
          targets: ["engine"],
          log: () => {},
          basePortOffset: portOffset,
        });
        const result = results.engine[0];
        expect(result, `no result for ${unit}`).toBeDefined();
        if (result === undefined) return;
        expect(result.failures, `log: ${result.logFile}`).toEqual([]);
        // The unit ran (a unit whose tests are all in skip.txt, as integration/shutdown, counts only skips).
        expect(result.passed + result.upstream.length + result.skipped).toBeGreaterThan(0);
      });
    }
  });
}
