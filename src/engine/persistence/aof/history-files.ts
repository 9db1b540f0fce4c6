// Deleting HISTORY files after a rewrite (Redis's aofDelHistoryFiles): unlink each one, then drop
// them from the manifest and persist it. A crash in between is harmless: loading ignores history.
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../log.ts";
import { cloneManifest, type AofManifest } from "./manifest.ts";
import { persistManifest } from "./manifest-store.ts";

/** Removes the history files and returns the manifest without them (persisted). */
export async function deleteHistoryFiles(options: { directory: string; appendFilename: string; manifest: AofManifest; log: Logger }): Promise<AofManifest> {
  const { directory, manifest, log } = options;
  if (manifest.history.length === 0) return manifest;
  for (const info of manifest.history) {
    log.notice(`Removing the history file ${info.name} in the background`);
    await unlink(join(directory, info.name)).catch(() => {});
  }
  const next = cloneManifest(manifest);
  next.history = [];
  await persistManifest(directory, options.appendFilename, next);
  return next;
}
