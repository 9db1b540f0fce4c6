// Collects the environment block of results.json: machine, runtime and engine.
import { cpus, hostname, platform, release, totalmem } from "node:os";
import type { EngineDescription } from "../engines/types.ts";
import { getRuntimeName, getRuntimeVersion, readPackageVersion } from "../shared/runtime.ts";
import type { Environment } from "./schema.ts";

/** Describes this machine, runtime and the engine under test. */
export function collectEnvironment(engine: EngineDescription): Environment {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    os: platform(),
    kernel: release(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? "unknown",
    memoryBytes: totalmem(),
    runtime: { name: getRuntimeName(), version: getRuntimeVersion() },
    persistlabVersion: readPackageVersion(),
    engine,
  };
}
