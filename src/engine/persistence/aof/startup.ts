// Start-up with appendonly yes (Redis's aofLoadManifestFromDisk, loadAppendOnlyFiles,
// aofOpenIfNeededOnServerStart, aofDelHistoryFiles): read the manifest, upgrade an old single
// appendonly.aof into the directory, load base + incrs, create a base when there is none, open the
// last incr for appending, persist the manifest, delete leftover history files.
import { existsSync, fstatSync, mkdirSync, openSync, renameSync } from "node:fs";
import { join } from "node:path";
import { AOF_APPEND_FLAGS } from "./append-writer.ts";
import { writeBaseFile } from "./base-writer.ts";
import { AofLoadError } from "./errors.ts";
import { deleteHistoryFiles } from "./history-files.ts";
import { loadAofFiles, type PreambleLoader } from "./loader.ts";
import { addNewBase, addNewIncr, createEmptyManifest, ManifestFormatError, type AofManifest } from "./manifest.ts";
import { isDirectory, persistManifestSync, readManifestFromDisk } from "./manifest-store.ts";
import { aofDirectory, manifestPath, unixSeconds, type AofRuntime } from "./runtime.ts";

/** Reads the manifest from disk (empty when absent); refuses start-up on a malformed one. */
export function loadManifestOrRefuse(runtime: AofRuntime): AofManifest {
  const log = runtime.context.log;
  try {
    return (
      readManifestFromDisk(aofDirectory(runtime), runtime.context.settings.appendfilename) ?? createEmptyManifest()
    );
  } catch (error) {
    if (!(error instanceof ManifestFormatError)) throw error;
    log.warning("*** FATAL AOF MANIFEST FILE ERROR ***");
    if (error.lineNumber !== null) {
      log.warning(`Reading the manifest file, at line ${error.lineNumber}`);
      log.warning(`>>> '${error.lineText ?? ""}'`);
    }
    log.warning(error.reason);
    throw new AofLoadError({ file: manifestPath(runtime), reason: error.message, hint: "Fix or restore the manifest" });
  }
}

// An old-style appendonly.aof in `dir` is moved into the directory as the base (aofUpgradePrepare).
function upgradeIfNeeded(runtime: AofRuntime, manifest: AofManifest): AofManifest {
  const directory = aofDirectory(runtime);
  const name = runtime.context.settings.appendfilename;
  if (!existsSync(name)) return manifest;
  const noFiles = manifest.base === null && manifest.incrs.length === 0;
  const interruptedUpgrade =
    manifest.base?.name === name && manifest.incrs.length === 0 && !existsSync(join(directory, name));
  if (isDirectory(directory) && !noFiles && !interruptedUpgrade) return manifest;
  mkdirSync(directory, { recursive: true });
  const upgraded: AofManifest = { ...manifest, base: { name, seq: 1, type: "b" }, currentBaseSeq: 1 };
  persistManifestSync(directory, name, upgraded);
  renameSync(name, join(directory, name));
  runtime.context.log.notice(
    `Successfully migrated an old-style AOF file (${name}) into the AOF directory (${directory}).`,
  );
  return upgraded;
}

/** Loads the data set from the AOF and opens the incr file for appending. Throws AofLoadError to refuse start-up. */
export async function startAofAtBoot(runtime: AofRuntime, loadPreamble: PreambleLoader): Promise<void> {
  const { context, shared, writer } = runtime;
  const settings = context.settings;
  const log = context.log;
  const directory = aofDirectory(runtime);
  const name = settings.appendfilename;
  let manifest = upgradeIfNeeded(runtime, loadManifestOrRefuse(runtime));
  runtime.manifest = manifest;

  const started = performance.now();
  shared.loading = { startTimeSec: unixSeconds(), totalBytes: 0, loadedBytes: 0, rdbUsedMem: 0 };
  let result;
  try {
    result = await loadAofFiles({
      context,
      directory,
      manifest,
      manifestPath: manifestPath(runtime),
      appendFilename: name,
      loadTruncated: settings.aofLoadTruncated,
      log,
      loadPreamble,
      onProgress: (loadedBytes, totalBytes) => {
        if (shared.loading !== null) Object.assign(shared.loading, { loadedBytes, totalBytes });
      },
    });
  } finally {
    shared.loading = null;
  }
  if (result.status !== "not-exist")
    log.notice(`DB loaded from append only file: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
  runtime.currentSize = result.totalBytes;
  runtime.rewriteBaseSize = result.baseBytes;

  mkdirSync(directory, { recursive: true });
  let changed = false;
  if (manifest.base === null && manifest.incrs.length === 0) {
    // Starting with an empty data set: a base of it first, so the directory always has one.
    const preamble = settings.aofUseRdbPreamble;
    const base = addNewBase(manifest, name, preamble);
    const snapshot = context.keyspace.beginSnapshot();
    const tempPath = `temp-rewriteaof-${process.pid}.aof`;
    try {
      await writeBaseFile({
        snapshot,
        path: tempPath,
        format: preamble ? "rdb" : "aof",
        timestamps: settings.aofTimestampEnabled,
        compression: settings.rdbcompression,
        checksum: settings.rdbchecksum,
        encoding: settings,
        incrementalFsync: settings.aofRewriteIncrementalFsync,
        keyDelayUs: 0,
        stats: runtime.fsyncStats,
        isCancelled: () => false,
      });
    } finally {
      snapshot.close();
    }
    renameSync(tempPath, join(directory, base.name));
    log.notice(`Creating AOF base file ${base.name} on server start`);
    changed = true;
  }
  const hadIncr = manifest.incrs.length > 0;
  const incr = manifest.incrs[manifest.incrs.length - 1] ?? addNewIncr(manifest, name);
  if (!hadIncr) changed = true;
  const fd = openSync(join(directory, incr.name), AOF_APPEND_FLAGS, 0o644);
  if (changed) persistManifestSync(directory, name, manifest);
  writer.attach(fd, fstatSync(fd).size);
  runtime.feed.reset();
  runtime.state = "on";
  log.notice(
    hadIncr
      ? `Opening AOF incr file ${incr.name} on server start`
      : `Creating AOF incr file ${incr.name} on server start`,
  );
  if (manifest.history.length > 0) {
    manifest = await deleteHistoryFiles({
      directory,
      appendFilename: name,
      manifest,
      log,
      disabled: context.accepted.get("aof-disable-auto-gc") === "yes",
    });
    runtime.manifest = manifest;
  }
}
