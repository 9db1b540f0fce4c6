// Global test setup: fails fast when a CI run lacks what the interop tests need, and builds the
// LD_PRELOAD shim once up front (cached), so no test sees a gcc child appear mid-run.
import { execFileSync } from "node:child_process";
import { compilePowerLossShim } from "../../src/harness/shim/compile-shim.ts";

export default async function setup(): Promise<void> {
  const shim = await compilePowerLossShim();
  if (process.env["CI"] !== "true") return;
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "CI=true but redis-server is not installed: run `apt-get install -y redis-server redis-tools` (.ci/run does this).",
    );
  }
  try {
    execFileSync("sh", ["-c", "command -v tclsh && command -v dpkg-source"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "CI=true but tclsh or dpkg-source is missing (Redis's own test units need them): run `apt-get install -y tcl dpkg-dev` (.ci/run does this).",
    );
  }
  if (!shim.available)
    throw new Error(
      `CI=true but the power-loss shim cannot be built (${shim.reason}): install gcc and libc6-dev (.ci/run does this).`,
    );
}
