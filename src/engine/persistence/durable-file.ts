// Crash-safe file replacement, as Redis saves RDBs and AOF manifests: write a temp file in the
// same directory, fsync it, close it, rename it over the target, fsync the directory. A crash at
// any moment leaves either the old complete file or the new complete file, never a mix.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** A failed step of a durable write; `operation` names it as Redis logs err_op (write, fsync, rename, ...). */
export class DurableFileError extends Error {
  override readonly name = "DurableFileError";
  readonly operation: string;
  readonly path: string;

  constructor(operation: string, path: string, cause: unknown) {
    super(`Failed to ${operation} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.operation = operation;
    this.path = path;
  }
}

/** Options of a durable write. */
export interface DurableFileOptions {
  /** The temp file (default: `temp-<pid>.<name>` beside the target). Must be in the same directory. */
  tempPath?: string;
  /** fdatasync every this many bytes while writing (Redis's incremental fsync; 0 = only at the end). */
  incrementalFsyncBytes?: number;
}

/** Commit options. */
export interface DurableCommitOptions {
  /** Runs after the temp file is fsynced and closed, just before the rename (fault points). */
  beforeRename?: () => void;
}

/** A file being written durably (async, for background saves: every I/O runs on the thread pool). */
export interface DurableFile {
  readonly path: string;
  readonly tempPath: string;
  readonly bytesWritten: number;
  write(chunk: Uint8Array): Promise<void>;
  /** fsync, close, rename over `path`, fsync the directory. */
  commit(options?: DurableCommitOptions): Promise<void>;
  /** Closes and removes the temp file (after a failure or a cancel). Never throws. */
  abort(): Promise<void>;
}

/** A file being written durably without yielding (SAVE, SHUTDOWN). */
export interface DurableFileSync {
  readonly path: string;
  readonly tempPath: string;
  readonly bytesWritten: number;
  write(chunk: Uint8Array): void;
  commit(options?: DurableCommitOptions): void;
  abort(): void;
}

/** The default temp file beside `path`. */
export function defaultTempPath(path: string): string {
  return join(dirname(path), `temp-${process.pid}.${basename(path)}`);
}

/** Opens the temp file for a durable write of `path`. */
export async function createDurableFile(path: string, options: DurableFileOptions = {}): Promise<DurableFile> {
  const tempPath = options.tempPath ?? defaultTempPath(path);
  const syncEvery = options.incrementalFsyncBytes ?? 0;
  let handle: FileHandle;
  try {
    handle = await open(tempPath, "w");
  } catch (error) {
    throw new DurableFileError("open", tempPath, error);
  }
  let bytesWritten = 0;
  let unsynced = 0;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    tempPath,
    get bytesWritten() {
      return bytesWritten;
    },
    write: async (chunk) => {
      try {
        let offset = 0;
        while (offset < chunk.length) {
          const { bytesWritten: written } = await handle.write(chunk, offset, chunk.length - offset);
          offset += written;
        }
      } catch (error) {
        throw new DurableFileError("write", tempPath, error);
      }
      bytesWritten += chunk.length;
      unsynced += chunk.length;
      if (syncEvery > 0 && unsynced >= syncEvery) {
        unsynced = 0;
        try {
          await handle.datasync();
        } catch (error) {
          throw new DurableFileError("fsync", tempPath, error);
        }
      }
    },
    commit: async (commitOptions = {}) => {
      try {
        await handle.sync();
      } catch (error) {
        throw new DurableFileError("fsync", tempPath, error);
      }
      try {
        await close();
      } catch (error) {
        throw new DurableFileError("close", tempPath, error);
      }
      commitOptions.beforeRename?.();
      try {
        await rename(tempPath, path);
      } catch (error) {
        throw new DurableFileError("rename", `${tempPath} to ${path}`, error);
      }
      await fsyncDirectory(dirname(path));
    },
    abort: async () => {
      await close().catch(() => {});
      await unlink(tempPath).catch(() => {});
    },
  };
}

/** Opens the temp file for a blocking durable write of `path`. */
export function createDurableFileSync(path: string, options: DurableFileOptions = {}): DurableFileSync {
  const tempPath = options.tempPath ?? defaultTempPath(path);
  let fd: number;
  try {
    fd = openSync(tempPath, "w");
  } catch (error) {
    throw new DurableFileError("open", tempPath, error);
  }
  let bytesWritten = 0;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    closeSync(fd);
  };
  return {
    path,
    tempPath,
    get bytesWritten() {
      return bytesWritten;
    },
    write: (chunk) => {
      try {
        let offset = 0;
        while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      } catch (error) {
        throw new DurableFileError("write", tempPath, error);
      }
      bytesWritten += chunk.length;
    },
    commit: (commitOptions = {}) => {
      try {
        fsyncSync(fd);
      } catch (error) {
        throw new DurableFileError("fsync", tempPath, error);
      }
      try {
        close();
      } catch (error) {
        throw new DurableFileError("close", tempPath, error);
      }
      commitOptions.beforeRename?.();
      try {
        renameSync(tempPath, path);
      } catch (error) {
        throw new DurableFileError("rename", `${tempPath} to ${path}`, error);
      }
      fsyncDirectorySync(dirname(path));
    },
    abort: () => {
      try {
        close();
      } catch {
        // already failed; nothing more to release
      }
      try {
        unlinkSync(tempPath);
      } catch {
        // the temp file may not exist
      }
    },
  };
}

/** Writes a whole file durably (manifests, small files). */
export async function writeFileDurably(
  path: string,
  data: Uint8Array | string,
  options: DurableFileOptions & DurableCommitOptions = {},
): Promise<void> {
  const file = await createDurableFile(path, options);
  try {
    await file.write(typeof data === "string" ? Buffer.from(data, "utf8") : data);
    await file.commit(options);
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Blocking variant of writeFileDurably. */
export function writeFileDurablySync(
  path: string,
  data: Uint8Array | string,
  options: DurableFileOptions & DurableCommitOptions = {},
): void {
  const file = createDurableFileSync(path, options);
  try {
    file.write(typeof data === "string" ? Buffer.from(data, "utf8") : data);
    file.commit(options);
  } catch (error) {
    file.abort();
    throw error;
  }
}

/** fsyncs a directory so a rename in it survives a power loss. */
export async function fsyncDirectory(directory: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(directory, "r");
  } catch (error) {
    throw new DurableFileError("open directory", directory, error);
  }
  try {
    await handle.sync();
  } catch (error) {
    throw new DurableFileError("fsync directory", directory, error);
  } finally {
    await handle.close();
  }
}

/** Blocking variant of fsyncDirectory. */
export function fsyncDirectorySync(directory: string): void {
  let fd: number;
  try {
    fd = openSync(directory, "r");
  } catch (error) {
    throw new DurableFileError("open directory", directory, error);
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    throw new DurableFileError("fsync directory", directory, error);
  } finally {
    closeSync(fd);
  }
}
