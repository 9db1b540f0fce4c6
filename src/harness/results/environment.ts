// Collects the environment block of results.json: machine, runtime and engine.
import { cpus, hostname, platform, release, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineDescription } from "../engines/types.ts";
import { getPackageRoot, getRuntimeName, getRuntimeVersion } from "../shared/runtime.ts";
import type { Environment } from "./schema.ts";

// persistlab's own version from package.json.
function readPackageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(getPackageRoot(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Describes this machine, runtime and the engine under test. */
export function collectEnvironment(engine: EngineDescription): Environment {
  const cpuList = cpus();
  return {
    hostname: hostname(), os: platform(), kernel: release(), cpus: cpuList.length, cpuModel: cpuList[0]?.model ?? "unknown",
    memoryBytes: totalmem(), runtime: { name: getRuntimeName(), version: getRuntimeVersion() }, persistlabVersion: readPackageVersion(), engine,
  };
}
