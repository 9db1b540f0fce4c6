// Deleting HISTORY files (Redis's aofDelHistoryFiles): unless aof-disable-auto-gc is yes, persist the
// manifest without them first, then unlink each one. A crash in between leaves only unreferenced
// files behind; loading ignores history either way.
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../log.ts";
import { cloneManifest, type AofManifest } from "./manifest.ts";
import { persistManifestSync } from "./manifest-store.ts";

/** Removes the history files and returns the manifest without them (persisted); unchanged when `disabled`. */
export async function deleteHistoryFiles(options: {
  directory: string;
  appendFilename: string;
  manifest: AofManifest;
  log: Logger;
  /** aof-disable-auto-gc yes: history files are kept (and stay in the manifest). */
  disabled?: boolean;
}): Promise<AofManifest> {
  const { directory, manifest, log } = options;
  if (options.disabled === true || manifest.history.length === 0) return manifest;
  const next = cloneManifest(manifest);
  next.history = [];
  persistManifestSync(directory, options.appendFilename, next);
  for (const info of manifest.history) {
    log.notice(`Removing the history file ${info.name} in the background`);
    await unlink(join(directory, info.name)).catch(() => {});
  }
  return next;
}
