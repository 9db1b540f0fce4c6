// Promise wrappers over the callback fd calls (they run on the libuv thread pool, like Redis's bio
// threads), plus a directory fsync. Raw fds, not FileHandles: the writer keeps one fd for its life.
import { close, closeSync, fdatasync, fsync, fsyncSync, open, openSync, write, writeSync, writev } from "node:fs";

/** fdatasync(fd) on the thread pool. */
export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));
}

/** Writes all of `data` at the fd's offset (retrying short writes). */
export async function writeAllAsync(fd: number, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const written = await new Promise<number>((resolve, reject) =>
      write(fd, data, offset, data.length - offset, null, (error, bytes) =>
        error === null ? resolve(bytes) : reject(error),
      ),
    );
    offset += written;
  }
}

/** Writes several buffers with one writev (falls back to single writes for the rest of a short write). */
export async function writevAllAsync(fd: number, chunks: readonly Uint8Array[]): Promise<void> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const written = await new Promise<number>((resolve, reject) =>
    writev(fd, chunks as Uint8Array[], (error, bytes) => (error === null ? resolve(bytes) : reject(error))),
  );
  if (written === total) return;
  let skip = written;
  for (const chunk of chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    await writeAllAsync(fd, chunk.subarray(skip));
    skip = 0;
  }
}

/** Opens a file on the thread pool. */
export function openAsync(path: string, flags: string | number): Promise<number> {
  return new Promise((resolve, reject) =>
    open(path, flags, 0o644, (error, fd) => (error === null ? resolve(fd) : reject(error))),
  );
}

/** Closes an fd on the thread pool. */
export function closeAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (error) => (error === null ? resolve() : reject(error))));
}

// Errors that mean "this system cannot fsync directories": ignored, as Redis's fsyncFileDir() does.
const DIRECTORY_FSYNC_UNSUPPORTED = new Set(["EISDIR", "EBADF", "EINVAL"]);

/** fsyncs a directory so renames and new entries in it survive a power loss. */
export async function fsyncDirectoryAsync(path: string): Promise<void> {
  let fd: number;
  try {
    fd = await openAsync(path, "r");
  } catch (error) {
    if (DIRECTORY_FSYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? "")) return;
    throw error;
  }
  try {
    await new Promise<void>((resolve, reject) =>
      fsync(fd, (error) =>
        error === null || DIRECTORY_FSYNC_UNSUPPORTED.has(error.code ?? "") ? resolve() : reject(error),
      ),
    );
  } finally {
    await closeAsync(fd);
  }
}

/** Synchronous directory fsync (start-up and tools). */
export function fsyncDirectorySync(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (DIRECTORY_FSYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? "")) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!DIRECTORY_FSYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `data` synchronously at the fd's offset (retrying short writes); returns the bytes written. */
export function writeAllSync(fd: number, data: Uint8Array): number {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
  return offset;
}
