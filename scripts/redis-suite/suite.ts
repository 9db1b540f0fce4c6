// Runs a list of Redis test units against one or both targets and formats the side-by-side table.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot, ensureRedisSource } from "./fetch-source.ts";
import { runUnit, type UnitResult } from "./run-unit.ts";
import { prepareTarget, REPO_ROOT, type TargetName, type TargetTree } from "./targets.ts";

export const SKIP_FILE = join(REPO_ROOT, "test/redis-suite/skip.txt");

/**
 * runtest's --baseport per target (its test server listens at baseport - 32), far apart so both runs
 * (and their +10000 cluster-bus checks) never meet. `basePortOffset` moves both, so two runs of the
 * runner (say the CI test and a manual run) can share a machine.
 */
const BASE_PORT: Record<TargetName, number> = { engine: 21111, "redis-server": 23111 };

export interface SuiteOptions {
  units: readonly string[];
  targets: readonly TargetName[];
  log: (line: string) => void;
  keepTrees?: boolean;
  timeoutSeconds?: number;
  unitLimitSeconds?: number;
  /** Added to both base ports (default 0). */
  basePortOffset?: number;
  /** Called after each unit finishes on a target. */
  onUnit?: (target: TargetName, result: UnitResult) => void;
}

export type SuiteResults = Record<TargetName, UnitResult[]>;

/** Fetches the tests if needed, then runs each unit on every target (targets in parallel). */
export async function runSuite(options: SuiteOptions): Promise<SuiteResults> {
  const source = await ensureRedisSource(options.log);
  const runsDir = join(cacheRoot(), "redis-suite-runs");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const trees: TargetTree[] = options.targets.map((target) => prepareTarget(source, runsDir, target, options.log));
  const results: SuiteResults = { engine: [], "redis-server": [] };
  try {
    for (const unit of options.units) {
      await Promise.all(
        trees.map(async (tree) => {
          const result = await runUnit({
            tree,
            unit,
            skipFile: SKIP_FILE,
            basePort: BASE_PORT[tree.target] + (options.basePortOffset ?? 0),
            logDir: join(cacheRoot(), "redis-suite-logs", stamp, tree.target),
            timeoutSeconds: options.timeoutSeconds ?? 300,
            unitLimitSeconds: options.unitLimitSeconds ?? 1200,
          });
          results[tree.target].push(result);
          options.onUnit?.(tree.target, result);
        }),
      );
    }
  } finally {
    if (options.keepTrees !== true) for (const tree of trees) rmSync(tree.dir, { recursive: true, force: true });
  }
  return results;
}

/** The per-unit table: passed / failed / skipped on each target, side by side. */
export function formatTable(units: readonly string[], targets: readonly TargetName[], results: SuiteResults): string {
  const width = Math.max(4, ...units.map((unit) => unit.length));
  const cell = (result: UnitResult | undefined): string =>
    result === undefined
      ? "-".padEnd(22)
      : `${result.passed} / ${result.failed} / ${result.skipped}${result.upstream.length > 0 ? ` (+${result.upstream.length} upstream)` : ""}`.padEnd(
          22,
        );
  const lines = [`${"unit".padEnd(width)}  ${targets.map((t) => `${t} (pass/fail/skip)`.padEnd(22)).join("  ")}`];
  for (const unit of units) {
    lines.push(
      `${unit.padEnd(width)}  ${targets.map((t) => cell(results[t].find((r) => r.unit === unit))).join("  ")}`,
    );
  }
  const total = (t: TargetName): string => {
    const sum = (key: "passed" | "failed" | "skipped"): number => results[t].reduce((acc, r) => acc + r[key], 0);
    return `${sum("passed")} / ${sum("failed")} / ${sum("skipped")}`.padEnd(22);
  };
  lines.push(`${"total".padEnd(width)}  ${targets.map(total).join("  ")}`);
  if (targets.some((t) => results[t].some((r) => r.upstream.length > 0))) {
    lines.push(
      "(+N upstream: failures Redis 7.0.15 itself has, listed in scripts/redis-suite/units.ts; not counted as engine failures)",
    );
  }
  return lines.join("\n");
}
