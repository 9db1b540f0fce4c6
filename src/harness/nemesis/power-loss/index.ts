// Public surface of the power-loss fault: build the shim, the spawn environment, apply a cut, read fsync latency.
export { compilePowerLossShim, type PowerLossShim, type CompileShimOptions } from "./compile-shim.ts";
export { powerLossEnv, resolveShadowDir, POWERLOSS_ENV } from "./environment.ts";
export { applyPowerCut, type PowerCutOptions, type PowerCutReport, type PowerCutFile, type NamespaceUndo, type TailMode } from "./apply-power-cut.ts";
export { readFsyncLatency, summarizeFsyncLatency, type FsyncLatencySummary, type FsyncLatencyWindow } from "./fsync-latency.ts";
export { readJournal, parseJournal, type Journal, type JournalEvent, type JournalOp } from "./journal.ts";
export { buildDurabilityModel, type DurabilityModel, type DurabilityModelOptions, type NamespaceModel } from "./durability-model.ts";
export { createShimFsyncSource, resolveJournalPath, type ShimFsyncSourceOptions } from "./fsync-source.ts";
export { preparePowerLossFault, type PowerLossFault } from "./fault.ts";
export { validateJournalPlacement } from "./environment.ts";
