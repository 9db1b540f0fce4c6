// The manifest on disk: reading it at start-up, and the atomic swap (temp file, fsync, rename over the
// manifest, fsync of the AOF directory) that makes every manifest change all-or-nothing across crashes.
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { faultPoint } from "../fault-points.ts";
import {
  closeAsync,
  fdatasyncAsync,
  fsyncDirectoryAsync,
  fsyncDirectorySync,
  openAsync,
  writeAllAsync,
  writeAllSync,
} from "./fd-io.ts";
import { manifestFileName, tempManifestFileName } from "./file-names.ts";
import { formatManifest, parseManifest, type AofManifest } from "./manifest.ts";

/** Whether `path` is an existing directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads `<dir>/<appendfilename>.manifest`; null when the directory or the manifest does not exist. */
export function readManifestFromDisk(directory: string, appendFilename: string): AofManifest | null {
  if (!isDirectory(directory)) return null;
  const path = join(directory, manifestFileName(appendFilename));
  if (!existsSync(path)) return null;
  return parseManifest(readFileSync(path).toString("latin1"));
}

/** A manifest written to its temp file and fdatasynced, waiting for the rename that puts it in effect. */
export interface StagedManifest {
  /**
   * Renames it over the manifest, synchronously (the instant the new manifest takes effect: after a
   * SIGKILL from here on, a restart reads it), and returns the directory fsync that makes the rename
   * survive a power loss, running in the background.
   */
  commit(): Promise<void>;
}

/**
 * The slow half of the swap without blocking the event loop (temp written and fdatasynced), so that the
 * caller can commit at a chosen instant in a few microseconds. A rewrite switches files this way.
 */
export async function stageManifest(
  directory: string,
  appendFilename: string,
  manifest: AofManifest,
): Promise<StagedManifest> {
  const tempPath = join(directory, tempManifestFileName(appendFilename));
  const fd = await openAsync(tempPath, "w");
  try {
    await writeAllAsync(fd, Buffer.from(formatManifest(manifest), "latin1"));
    await fdatasyncAsync(fd);
  } finally {
    await closeAsync(fd);
  }
  return {
    commit: () => {
      faultPoint("aof-manifest:before-rename");
      renameSync(tempPath, join(directory, manifestFileName(appendFilename)));
      return fsyncDirectoryAsync(directory);
    },
  };
}

/** Writes the manifest atomically without blocking the event loop (temp, fdatasync, rename, dir fsync). */
export async function persistManifest(directory: string, appendFilename: string, manifest: AofManifest): Promise<void> {
  const staged = await stageManifest(directory, appendFilename, manifest);
  await staged.commit();
}

/** The same swap, synchronously (start-up, upgrade, shutdown paths). */
export function persistManifestSync(directory: string, appendFilename: string, manifest: AofManifest): void {
  const tempPath = join(directory, tempManifestFileName(appendFilename));
  const fd = openSync(tempPath, "w");
  try {
    writeAllSync(fd, Buffer.from(formatManifest(manifest), "latin1"));
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  faultPoint("aof-manifest:before-rename");
  renameSync(tempPath, join(directory, manifestFileName(appendFilename)));
  fsyncDirectorySync(directory);
}
