// Runs one Redis test unit with ./runtest against a prepared tree and counts its results.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { TargetTree } from "./targets.ts";
import { UPSTREAM_FAILURES } from "./units.ts";

/** Counts for one unit on one target. */
export interface UnitResult {
  readonly unit: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** `[err]` / `[exception]` lines, and a note when runtest died without naming a test. */
  readonly failures: readonly string[];
  /** Failures Redis 7.0.15 shows too (units.ts UPSTREAM_FAILURES): listed, not counted in `failed`. */
  readonly upstream: readonly string[];
  readonly logFile: string;
  readonly seconds: number;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Counts runtest's `[ok]`, `[err]`, `[exception]`, `[skip]` and `[ignore]` lines. */
export function countResults(output: string): { passed: number; failed: number; skipped: number; failures: string[] } {
  let passed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.replace(ANSI, "");
    const match = /^\[(ok|err|exception|skip|ignore|TIMEOUT|timeout)\]: (.*)$/.exec(line);
    if (match === null) continue;
    const status = match[1];
    if (status === "ok") passed += 1;
    else if (status === "skip" || status === "ignore") skipped += 1;
    else failures.push(line);
  }
  return { passed, failed: failures.length, skipped, failures };
}

/** Runs `unit` in `tree` (ports from `basePort`), writes the full output to `logDir`. */
export async function runUnit(options: {
  tree: TargetTree;
  unit: string;
  skipFile: string;
  basePort: number;
  logDir: string;
  /** runtest's --timeout: seconds a single test may run without progress. */
  timeoutSeconds: number;
  /** Hard limit for the whole unit; its process group is killed after it. */
  unitLimitSeconds: number;
}): Promise<UnitResult> {
  const started = Date.now();
  const args = [
    "--single",
    options.unit,
    "--skipfile",
    options.skipFile,
    "--clients",
    "1",
    "--timeout",
    String(options.timeoutSeconds),
    "--baseport",
    String(options.basePort),
    "--portcount",
    "1000",
  ];
  // runtest runs in its own process group so a hung unit is ended with every server it started.
  const child = execa("./runtest", args, {
    cwd: options.tree.dir,
    all: true,
    reject: false,
    stdin: "ignore",
    env: { TERM: "dumb" },
    detached: true,
  });
  let timedOut = false;
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.unitLimitSeconds * 1000);
  process.once("exit", killGroup);
  const result = await child;
  clearTimeout(timer);
  process.removeListener("exit", killGroup);
  const output = result.all ?? "";
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.unit.replace(/\//g, "_")}.log`);
  writeFileSync(logFile, output);
  const counts = countResults(output);
  const failures = [...counts.failures];
  if (result.exitCode !== 0 && failures.length === 0) {
    const reason = timedOut ? "timed out" : `exited ${String(result.exitCode ?? result.signal)}`;
    const lastLines = output.trim().split("\n").slice(-3).join(" | ");
    failures.push(`[runtest ${reason}]: ${lastLines}`);
  }
  const known = UPSTREAM_FAILURES[options.unit] ?? [];
  const upstream = failures.filter((line) => known.some((text) => line.includes(text)));
  const own = failures.filter((line) => !upstream.includes(line));
  return {
    unit: options.unit,
    passed: counts.passed,
    failed: own.length,
    upstream,
    skipped: counts.skipped,
    failures: own,
    logFile,
    seconds: (Date.now() - started) / 1000,
  };
}
