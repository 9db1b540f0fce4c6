// Test helper: runs the built persistlab CLI (dist/bin/persistlab.js) as a real process and returns its
// exit code, output and wall time. `npm run build` must have run (`npm test` builds first).
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** The built CLI entry point. */
export const CLI = join(import.meta.dirname, "../../../dist/bin/persistlab.js");

/** The built engine entry point. */
export const SERVER = join(import.meta.dirname, "../../../dist/bin/persistlab-server.js");

/** How one CLI process ended. */
export interface CliOutcome {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node <script> ...args` to completion (bounded by timeoutMs). */
export function runNode(
  script: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliOutcome {
  const started = performance.now();
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, GITHUB_STEP_SUMMARY: "", ...(options.env ?? {}) },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

/** Runs the persistlab CLI with args. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliOutcome {
  return runNode(CLI, args, options);
}
