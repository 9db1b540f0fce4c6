// Global test setup: fails fast when a CI run lacks what the interop tests need.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  if (process.env["CI"] !== "true") return;
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("CI=true but redis-server is not installed: run `apt-get install -y redis-server redis-tools` (.ci/run does this).");
  }
}
