// fdatasync on dedicated threads that time the system call themselves. Timing an fs.fdatasync callback
// on the main thread also counts the thread-pool hand-off and however long the event loop was busy with
// the next batch before it ran the callback (under load that doubled the figure); the AOF's fsync
// latency figures must be the disk's, like Redis's latency monitor, which times the call itself.
// Each worker thread serves one call at a time through a SharedArrayBuffer (Atomics.wait in the worker,
// Atomics.waitAsync on the main thread); calls beyond the workers queue. When worker threads are not
// available, calls fall back to the thread pool, timed from the main thread. That includes Deno: its
// node:fs descriptors are per-isolate resource ids, so a worker cannot fsync the main thread's fd.
import { fdatasync } from "node:fs";
import { Worker } from "node:worker_threads";

/** One timed fdatasync: resolves with the call's own duration in µs, rejects with its errno error. */
export type TimedFsync = (fd: number) => Promise<number>;

// Control words of a worker's shared block.
const STATE = 0; // 0 idle, 1 requested, 2 done
const FD = 1;
const ERRNO = 2; // 0 = success, else an index into FSYNC_ERROR_CODES
const IDLE = 0;
const REQUESTED = 1;
const DONE = 2;

/** errno codes a worker reports by index (0 = success). */
export const FSYNC_ERROR_CODES = ["", "EIO", "ENOSPC", "EBADF", "EINVAL", "EROFS", "EDQUOT", "EINTR", "OTHER"] as const;

/** The error for a worker's errno index, with its code. */
export function fsyncError(errno: number, what: string): Error {
  const code = FSYNC_ERROR_CODES[errno] ?? "OTHER";
  return Object.assign(new Error(`${code}: fdatasync failed on ${what}`), { code });
}

/** Atomics.waitAsync's signature (not in this TypeScript lib). */
export type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: boolean; value: Promise<string> | string };

/**
 * Whether worker threads can fsync the main thread's descriptors here: they need Atomics.waitAsync, and
 * Deno's node:fs descriptors are per-isolate resource ids, so a worker cannot use them.
 */
export function workerThreadsUsable(): boolean {
  return typeof (Atomics as unknown as { waitAsync?: unknown }).waitAsync === "function" && !("Deno" in globalThis);
}

// The worker's loop (plain JS: it runs as an eval'd script, so no build step or file path is involved).
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { fdatasyncSync } = require("node:fs");
const control = new Int32Array(workerData.shared, 0, 4);
const duration = new Float64Array(workerData.shared, 16, 1);
const codes = ${JSON.stringify(FSYNC_ERROR_CODES)};
for (;;) {
  // Sleep only while the state is the one just read: reading it twice (test, then wait on a second read)
  // can read REQUESTED the second time and sleep through the request, a lost wake-up that hung the engine.
  for (;;) {
    const state = Atomics.load(control, ${STATE});
    if (state === ${REQUESTED}) break;
    Atomics.wait(control, ${STATE}, state);
  }
  const started = process.hrtime.bigint();
  let errno = 0;
  try {
    fdatasyncSync(Atomics.load(control, ${FD}));
  } catch (error) {
    const index = codes.indexOf(error && error.code);
    errno = index > 0 ? index : codes.length - 1;
  }
  duration[0] = Number(process.hrtime.bigint() - started) / 1000;
  Atomics.store(control, ${ERRNO}, errno);
  Atomics.store(control, ${STATE}, ${DONE});
  Atomics.notify(control, ${STATE});
}
`;

// One worker thread and its shared block.
class FsyncThread {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly duration: Float64Array;
  private readonly waitAsync: WaitAsync;

  constructor(waitAsync: WaitAsync) {
    this.waitAsync = waitAsync;
    const shared = new SharedArrayBuffer(24);
    this.control = new Int32Array(shared, 0, 4);
    this.duration = new Float64Array(shared, 16, 1);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared } });
    this.worker.unref();
    this.worker.on("error", () => undefined);
  }

  async fdatasync(fd: number): Promise<number> {
    Atomics.store(this.control, FD, fd);
    Atomics.store(this.control, STATE, REQUESTED);
    Atomics.notify(this.control, STATE);
    const wait = this.waitAsync(this.control, STATE, REQUESTED);
    if (wait.async) await wait.value;
    while (Atomics.load(this.control, STATE) !== DONE) {
      const again = this.waitAsync(this.control, STATE, REQUESTED);
      if (again.async) await again.value;
    }
    const errno = Atomics.load(this.control, ERRNO);
    const micros = this.duration[0] as number;
    Atomics.store(this.control, STATE, IDLE);
    if (errno !== 0) throw fsyncError(errno, `fd ${fd}`);
    return micros;
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

// The thread-pool call, timed on the main thread (the fallback).
function poolFsync(fd: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    fdatasync(fd, (error) => (error === null ? resolve((performance.now() - started) * 1000) : reject(error))),
  );
}

/** A set of fsync threads (started on first use); `fdatasync` queues when all are busy. */
export class FsyncThreads {
  private threads: FsyncThread[] | null = null;
  private idle: FsyncThread[] = [];
  private readonly queue: (() => void)[] = [];
  private available: boolean | undefined;
  private readonly count: number;

  constructor(count: number) {
    this.count = count;
  }

  /** Timed fdatasync of `fd` (µs of the call itself when worker threads are available). */
  readonly fdatasync: TimedFsync = async (fd) => {
    if (!this.start()) return poolFsync(fd);
    const thread =
      this.idle.pop() ??
      (await new Promise<FsyncThread>((resolve) => this.queue.push(() => resolve(this.idle.pop() as FsyncThread))));
    try {
      return await thread.fdatasync(fd);
    } finally {
      this.idle.push(thread);
      this.queue.shift()?.();
    }
  };

  /** Stops the worker threads (they are unref'd: the process never waits for them). */
  close(): void {
    for (const thread of this.threads ?? []) thread.terminate();
    this.threads = null;
    this.idle = [];
    this.available = undefined;
  }

  // Starts the threads once; false when this runtime cannot (then the thread pool serves).
  private start(): boolean {
    if (this.available !== undefined) return this.available;
    const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
    try {
      if (!workerThreadsUsable() || waitAsync === undefined) throw new Error("worker threads cannot fsync here");
      this.threads = Array.from({ length: this.count }, () => new FsyncThread(waitAsync.bind(Atomics)));
      this.idle = [...this.threads];
      this.available = true;
    } catch {
      this.threads = null;
      this.available = false;
    }
    return this.available;
  }
}
