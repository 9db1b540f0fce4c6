// Readies a run for disk faults: the shim compiled, a fault control file beside the engine's data
// directory (outside it), and the environment that makes every incarnation of the engine map it.
import type { EngineInstance } from "../engines/types.ts";
import { compilePowerLossShim } from "../shim/compile-shim.ts";
import { DiskFaultControl } from "../shim/disk-fault-control.ts";
import { diskFaultEnv } from "../shim/environment.ts";

/** Disk faults ready for a run. */
export interface PreparedDiskFaults {
  control: DiskFaultControl;
  /** The engine's environment: `base` plus the shim and the control file. */
  environment: Record<string, string>;
}

/** The control file for a data directory: a sibling, `<dataDir>.fault.ctl`. */
export function resolveControlPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}.fault.ctl`;
}

/** Compiles the shim and creates the control file; a string says why disk faults cannot run here. */
export async function prepareDiskFaults(
  engine: EngineInstance,
  base: Readonly<Record<string, string>>,
): Promise<PreparedDiskFaults | string> {
  if (engine.dataDir === undefined || engine.setEnvironment === undefined)
    return `disk faults unavailable: persistlab does not start this engine (${engine.kind}), so it cannot preload the shim`;
  const shim = await compilePowerLossShim();
  if (!shim.available) return shim.reason.replace("power-loss fault unavailable", "disk faults unavailable");
  const controlPath = resolveControlPath(engine.dataDir);
  const control = DiskFaultControl.create(controlPath);
  return { control, environment: diskFaultEnv(engine.dataDir, controlPath, shim.libraryPath, base) };
}
