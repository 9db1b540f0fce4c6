// The power-loss fault as one object for the run loop: compile the shim (src/harness/shim/) once, then per engine the spawn
// environment, the journal path, the cut, and fsync latency, with the journal kept beside the data dir.
import { applyPowerCut, type PowerCutOptions, type PowerCutReport } from "./apply-power-cut.ts";
import { compilePowerLossShim, type CompileShimOptions } from "../../shim/compile-shim.ts";
import { powerLossEnv, resolveJournalPath } from "../../shim/environment.ts";
import { readFsyncLatency, type FsyncLatencySummary, type FsyncLatencyWindow } from "../../shim/fsync-latency.ts";

/** A ready power-loss fault bound to a compiled shim. */
export interface PowerLossFault {
  readonly libraryPath: string;
  /** Variables to add to the engine's environment before (re)starting it on dataDir. */
  environment(dataDir: string): Record<string, string>;
  /** The journal for dataDir (`<dataDir>.powerloss.log`). */
  journalPath(dataDir: string): string;
  /** After SIGKILL of the engine and its children: cut dataDir as a power loss would. */
  cut(options: { dataDir: string } & Omit<PowerCutOptions, "dataDir" | "logPath">): Promise<PowerCutReport>;
  /** fsync latency seen so far in dataDir's journal (read it before cut(), which moves the journal away). */
  fsyncLatency(dataDir: string, window?: FsyncLatencyWindow): Promise<FsyncLatencySummary>;
}

/** Compiles the shim (cached) and returns the fault, or why it is unavailable (the caller skips only this fault). */
export async function preparePowerLossFault(
  options: CompileShimOptions = {},
): Promise<{ available: true; fault: PowerLossFault } | { available: false; reason: string }> {
  const shim = await compilePowerLossShim(options);
  if (!shim.available) return { available: false, reason: `power-loss fault unavailable: ${shim.reason}` };
  const { libraryPath } = shim;
  const fault: PowerLossFault = {
    libraryPath,
    environment: (dataDir) => powerLossEnv(dataDir, resolveJournalPath(dataDir), libraryPath),
    journalPath: resolveJournalPath,
    cut: ({ dataDir, ...rest }) => applyPowerCut({ dataDir, logPath: resolveJournalPath(dataDir), ...rest }),
    fsyncLatency: (dataDir, window) => readFsyncLatency(resolveJournalPath(dataDir), window),
  };
  return { available: true, fault };
}
