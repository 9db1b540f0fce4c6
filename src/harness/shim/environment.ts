// The environment variables that load the LD_PRELOAD shim into an engine process and point it at the
// watched data directory, the journal and the shadow directory (hard links kept for undoing unlinks), in
// its two modes: a full journal (power loss) and fsyncs only (fsync latency tracing).
import { isAbsolute, relative, resolve } from "node:path";
import { FAULT_CONTROL_ENV } from "./disk-fault-control.ts";

/** Environment variable names read by native/powerloss/powerloss.c. */
export const POWERLOSS_ENV = {
  dir: "PERSISTLAB_POWERLOSS_DIR",
  log: "PERSISTLAB_POWERLOSS_LOG",
  shadow: "PERSISTLAB_POWERLOSS_SHADOW",
  syncOnly: "PERSISTLAB_POWERLOSS_SYNC_ONLY",
} as const;

/** Journal path used for an engine's data directory: a sibling file, outside it, on the same filesystem. */
export function resolveJournalPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}.powerloss.log`;
}

/** Shadow directory used for a journal: next to it, so normally on the same filesystem as the data. */
export function resolveShadowDir(logPath: string): string {
  return `${logPath}.shadow`;
}

/**
 * Variables to add to the engine's spawn environment (a full journal, enough to simulate a power cut). The journal (and its shadow directory) must live
 * outside dataDir but on the same filesystem (hard links). UV_USE_IO_URING=0 keeps Node's libuv on the
 * plain write/fsync syscalls the shim sees (io_uring submissions would bypass libc).
 */
export function powerLossEnv(
  dataDir: string,
  logPath: string,
  libraryPath: string,
  inherited: string | undefined = process.env["LD_PRELOAD"],
): Record<string, string> {
  validateJournalPlacement(dataDir, logPath);
  const preload = inherited === undefined || inherited.trim() === "" ? libraryPath : `${libraryPath} ${inherited}`;
  return {
    LD_PRELOAD: preload,
    [POWERLOSS_ENV.dir]: dataDir,
    [POWERLOSS_ENV.log]: logPath,
    [POWERLOSS_ENV.shadow]: resolveShadowDir(logPath),
    [POWERLOSS_ENV.syncOnly]: "0",
    UV_USE_IO_URING: "0",
  };
}

/**
 * Variables for fsync latency tracing only: the shim journals fsyncs (with their latency) but no writes
 * and keeps no shadow links, so a traced engine pays one journal record per fsync, not one per write.
 */
export function fsyncTraceEnv(
  dataDir: string,
  logPath: string,
  libraryPath: string,
  inherited: string | undefined = process.env["LD_PRELOAD"],
): Record<string, string> {
  const { [POWERLOSS_ENV.shadow]: _shadow, ...full } = powerLossEnv(dataDir, logPath, libraryPath, inherited);
  return { ...full, [POWERLOSS_ENV.syncOnly]: "1" };
}

/** Throws when the journal would sit inside the data directory (the engine would see it and the shadow links). */
export function validateJournalPlacement(dataDir: string, logPath: string): void {
  const inside = relative(resolve(dataDir), resolve(logPath));
  if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) {
    throw new Error(
      `The power-loss journal ${logPath} is inside the data directory ${dataDir}: put it next to it (e.g. ${resolve(dataDir)}.powerloss.log)`,
    );
  }
}

/**
 * Variables that add the disk-fault control to an engine's environment: the shim (already preloaded by a
 * power-loss or fsync-trace environment in `base`, or preloaded here), the watched directory and the
 * control file, which must sit outside dataDir.
 */
export function diskFaultEnv(
  dataDir: string,
  controlPath: string,
  libraryPath: string,
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  validateJournalPlacement(dataDir, controlPath);
  const inherited = base["LD_PRELOAD"] ?? process.env["LD_PRELOAD"];
  const preload =
    inherited === undefined || inherited.trim() === ""
      ? libraryPath
      : inherited.split(/\s+/).includes(libraryPath)
        ? inherited
        : `${libraryPath} ${inherited}`;
  return {
    ...base,
    LD_PRELOAD: preload,
    [POWERLOSS_ENV.dir]: dataDir,
    [FAULT_CONTROL_ENV]: controlPath,
    UV_USE_IO_URING: "0",
  };
}
