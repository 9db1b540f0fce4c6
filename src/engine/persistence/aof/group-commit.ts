// The fsync pipeline of `appendfsync always`: one fdatasync at a time, each covering everything written to
// the current file before it started, the next starting the moment the previous returns.
// The main thread only publishes "file F (generation G) now holds N bytes" after each write; whoever runs
// the fsyncs reads the latest such request when it starts one and reports (G, N, duration) when it returns.
// On a dedicated worker thread the chain does not wait for the main thread's event loop to start the next
// fsync. A request/reply design (the main thread starting each fsync) left a gap of one thread hand-off
// plus whatever the event loop was busy with between two fsyncs: 170-320 µs per cycle on this VM.
//
// Commit delay (like PostgreSQL's commit_delay with commit_siblings): when an fsync returns, the clients
// whose replies it releases usually send their next command within a few hundred µs. Starting the next
// fsync at once would cover only what arrived during the last one, and the returning clients would wait
// for the fsync after it: the clients split into two cohorts, each fsync covering half of them. So the
// next fsync waits until the main thread has released the replies and half as many entries as it released
// have been written again, or until a cap (twice the last fsync's duration, at most COMMIT_DELAY_CAP_US)
// passes. With one client nothing waits (it sent its one command); with many, an fsync covers most of them
// while the rest still overlap with it. (Waiting for all of them measured 0-9% slower at P=1 and P=16: the
// main thread then sat idle during every fsync.)
// Without worker threads (Deno: descriptors are per isolate) or with an injected fsync (tests), the same
// loop runs on the main thread over a promise-returning fsync.
import { Worker } from "node:worker_threads";
import {
  FSYNC_ERROR_CODES,
  fsyncError,
  workerThreadsUsable,
  type TimedFsync,
  type WaitAsync,
} from "./fsync-threads.ts";

/** What the append writer sees of the pipeline. */
export interface GroupCommitter {
  /**
   * File `generation` (descriptor `fd`) now holds `size` bytes, `entries` more than at the last call: an
   * fsync covering them starts as soon as none runs (and the commit delay allows).
   */
  written(generation: number, fd: number, size: number, entries: number): void;
  /** The owner released the replies of `entries` entries after the latest completion it was told about. */
  released(entries: number): void;
  /** True while an fsync runs or a written size is not yet covered. */
  readonly busy: boolean;
  /** Resolves when nothing runs and everything requested is covered (call after the last written()). */
  idle(): Promise<void>;
  /** Stops the worker thread, if any. */
  close(): void;
}

/**
 * What the pipeline reports. A failed fsync fails its file generation for good: Linux reports a writeback
 * error once, so a later fsync of the same file succeeding proves nothing about the data before it.
 */
export interface GroupCommitCallbacks {
  /** Every fdatasync call's own duration. */
  readonly onDuration: (micros: number) => void;
  /** The first `size` bytes of file `generation` are durable. */
  readonly onCovered: (generation: number, size: number) => void;
  /** An fsync of file `generation` failed (it may be a file already retired: the owner decides). */
  readonly onFailure: (generation: number, error: Error) => void;
}

/** The committer for this runtime: a worker thread when usable, else a main-thread loop over `fallback`. */
export function createGroupCommitter(
  callbacks: GroupCommitCallbacks,
  fallback: TimedFsync,
  injected: boolean,
): GroupCommitter {
  if (!injected && workerThreadsUsable()) return new ThreadGroupCommitter(callbacks);
  return new LoopGroupCommitter(callbacks, fallback);
}

// --- main-thread loop ---------------------------------------------------------------------------------

class LoopGroupCommitter implements GroupCommitter {
  private latest: { generation: number; fd: number; size: number } | null = null;
  private synced: { generation: number; size: number } | null = null;
  private failure: { generation: number; error: Error } | null = null;
  private running: Promise<void> | null = null;

  private readonly callbacks: GroupCommitCallbacks;
  private readonly fsync: TimedFsync;

  constructor(callbacks: GroupCommitCallbacks, fsync: TimedFsync) {
    this.callbacks = callbacks;
    this.fsync = fsync;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  written(generation: number, fd: number, size: number): void {
    this.latest = { generation, fd, size };
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  // No commit delay on this path: it serves runtimes without worker threads and tests.
  released(): void {}

  close(): void {}

  private async run(): Promise<void> {
    for (;;) {
      const request = this.latest;
      if (
        request === null ||
        (this.synced !== null && this.synced.generation === request.generation && this.synced.size === request.size)
      )
        return;
      this.synced = { generation: request.generation, size: request.size };
      if (this.failure !== null && this.failure.generation === request.generation) {
        this.callbacks.onFailure(request.generation, this.failure.error);
        continue;
      }
      try {
        this.callbacks.onDuration(await this.fsync(request.fd));
      } catch (error) {
        this.failure = { generation: request.generation, error: error as Error };
        this.callbacks.onFailure(request.generation, error as Error);
        continue;
      }
      this.callbacks.onCovered(request.generation, request.size);
    }
  }
}

// --- dedicated worker thread --------------------------------------------------------------------------

// Int32 words of the shared block.
const REQUEST_VERSION = 0; // seqlock over REQUEST_FD, REQUEST_GENERATION, REQUEST_SIZE: odd while the main thread writes
const REQUEST_FD = 1;
const REQUEST_GENERATION = 2;
const WAKE = 3; // bumped after every request, the word the worker sleeps on
const DONE_VERSION = 4; // seqlock over DONE_GENERATION, DONE_SIZE, DONE_ERRNO: odd while the worker writes
const DONE_GENERATION = 5;
const DONE_ERRNO = 6; // 0 = success, else an index into FSYNC_ERROR_CODES
const DONE_COUNT = 7; // completions so far; bumped after the DONE fields and the duration are in place
const STOP = 8;
const RELEASED = 9; // completions the main thread has released replies for
const EXPECTED = 10; // entries whose replies it released then
const ARRIVED = 11; // entries written since
const SLEEPING = 12; // the worker's state, so the main thread wakes it only when it has a reason to run:
const AWAKE = 0; //    running (no wake-up needed)
const IDLE = 1; //     waiting for any new request
const HOLDING = 2; //  in a commit delay: waiting for RELEASED >= HOLD_FOR and half the entries back
const HOLD_FOR = 13;
const INT_WORDS = 14;
// Float64 slots after the Int32 words.
const REQUEST_SIZE = 0;
const DONE_SIZE = 1;
const DURATIONS = 2; // ring of the last DURATION_SLOTS call durations in µs, indexed by completion number
const DURATION_SLOTS = 1024;
const FLOAT_OFFSET = INT_WORDS * 4;
const SHARED_BYTES = FLOAT_OFFSET + (DURATIONS + DURATION_SLOTS) * 8;
/** The longest an fsync waits for returning clients (and never longer than twice what the previous fsync took). */
const COMMIT_DELAY_CAP_US = 1000;

// The worker's loop (plain JS, run as an eval'd script: no build step or file path is involved).
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { fdatasyncSync } = require("node:fs");
const words = new Int32Array(workerData.shared, 0, ${INT_WORDS});
const floats = new Float64Array(workerData.shared, ${FLOAT_OFFSET});
const codes = ${JSON.stringify(FSYNC_ERROR_CODES)};
let syncedGeneration = -1, syncedSize = -1, failedGeneration = -1, failedErrno = 0;
// Commit delay after each fsync: hold until completion holdFor is released and half its entries came back.
let holdFor = 0, holdUntil = 0n;
const returned = () => Atomics.load(words, ${RELEASED}) >= holdFor && 2 * Atomics.load(words, ${ARRIVED}) >= Atomics.load(words, ${EXPECTED});
// Announces the state, then sleeps unless WAKE moved: a main thread that published after the announcement
// sees it and notifies; one that published before it changed WAKE, so the wait does not sleep.
const sleep = (state, wake, timeoutMs) => {
  Atomics.store(words, ${SLEEPING}, state);
  if (Atomics.load(words, ${WAKE}) === wake && (state !== ${HOLDING} || !returned())) Atomics.wait(words, ${WAKE}, wake, timeoutMs);
  Atomics.store(words, ${SLEEPING}, ${AWAKE});
};
for (;;) {
  if (Atomics.load(words, ${STOP}) !== 0) break;
  // WAKE is read before the request: a request published after this read changes WAKE, so the wait
  // below returns at once instead of sleeping through it.
  const wake = Atomics.load(words, ${WAKE});
  let fd, generation, size;
  for (;;) {
    const version = Atomics.load(words, ${REQUEST_VERSION});
    if ((version & 1) !== 0) continue;
    fd = Atomics.load(words, ${REQUEST_FD});
    generation = Atomics.load(words, ${REQUEST_GENERATION});
    size = floats[${REQUEST_SIZE}];
    if (Atomics.load(words, ${REQUEST_VERSION}) === version) break;
  }
  if (generation === syncedGeneration && size === syncedSize) {
    sleep(${IDLE}, wake, Infinity);
    continue;
  }
  if (holdFor !== 0) {
    if (!returned()) {
      const leftMs = Number(holdUntil - process.hrtime.bigint()) / 1e6;
      if (leftMs > 0) {
        sleep(${HOLDING}, wake, leftMs);
        continue;
      }
    }
    holdFor = 0;
    continue; // read the request again: more may have been written while holding
  }
  let errno = failedGeneration === generation ? failedErrno : 0;
  let micros = -1;
  if (errno === 0) {
    const started = process.hrtime.bigint();
    try {
      fdatasyncSync(fd);
    } catch (error) {
      const index = codes.indexOf(error && error.code);
      errno = index > 0 ? index : codes.length - 1;
      failedGeneration = generation;
      failedErrno = errno;
    }
    micros = Number(process.hrtime.bigint() - started) / 1000;
  }
  syncedGeneration = generation;
  syncedSize = size;
  const count = Atomics.load(words, ${DONE_COUNT});
  Atomics.add(words, ${DONE_VERSION}, 1);
  Atomics.store(words, ${DONE_GENERATION}, generation);
  Atomics.store(words, ${DONE_ERRNO}, errno);
  floats[${DONE_SIZE}] = size;
  Atomics.add(words, ${DONE_VERSION}, 1);
  floats[${DURATIONS} + (count % ${DURATION_SLOTS})] = micros;
  Atomics.store(words, ${DONE_COUNT}, count + 1);
  Atomics.notify(words, ${DONE_COUNT});
  holdFor = count + 1;
  Atomics.store(words, ${HOLD_FOR}, holdFor);
  holdUntil = process.hrtime.bigint() + BigInt(Math.round(Math.min(${COMMIT_DELAY_CAP_US}, 2 * Math.max(0, micros)) * 1000));
}
`;

class ThreadGroupCommitter implements GroupCommitter {
  private readonly words: Int32Array;
  private readonly floats: Float64Array;
  private readonly worker: Worker;
  private readonly waitAsync: WaitAsync;
  private requested: { generation: number; size: number } | null = null;
  private covered: { generation: number; size: number } | null = null;
  private seenCount = 0;
  private listening = false;
  private idleWaiters: (() => void)[] = [];
  private readonly callbacks: GroupCommitCallbacks;
  /** Why the worker thread is gone (it threw or exited), or null while it serves. */
  private dead: Error | null = null;
  private closing = false;

  constructor(callbacks: GroupCommitCallbacks) {
    this.callbacks = callbacks;
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    this.words = new Int32Array(shared, 0, INT_WORDS);
    this.floats = new Float64Array(shared, FLOAT_OFFSET);
    this.waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync.bind(Atomics);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared } });
    this.worker.unref();
    // A dead worker would leave every reply under always waiting forever: fail instead, as a failed fsync.
    this.worker.on("error", (error: Error) => this.die(error));
    this.worker.on("exit", (code: number) =>
      this.die(new Error(`the group-commit fsync thread exited (code ${code})`)),
    );
  }

  get busy(): boolean {
    return this.dead === null && this.requested !== null && !this.isCovered();
  }

  written(generation: number, fd: number, size: number, entries: number): void {
    if (this.dead !== null) {
      const error = this.dead;
      queueMicrotask(() => this.callbacks.onFailure(generation, error));
      return;
    }
    const words = this.words;
    Atomics.add(words, ARRIVED, entries);
    Atomics.add(words, REQUEST_VERSION, 1);
    Atomics.store(words, REQUEST_FD, fd);
    Atomics.store(words, REQUEST_GENERATION, generation);
    this.floats[REQUEST_SIZE] = size;
    Atomics.add(words, REQUEST_VERSION, 1);
    this.wake();
    this.requested = { generation, size };
    this.listen();
  }

  released(entries: number): void {
    const words = this.words;
    Atomics.store(words, EXPECTED, entries);
    Atomics.store(words, ARRIVED, 0);
    Atomics.store(words, RELEASED, this.seenCount);
    this.wake();
  }

  // Moves WAKE, and notifies (a futex wake-up) only a worker that sleeps and would act now.
  private wake(): void {
    const words = this.words;
    Atomics.add(words, WAKE, 1);
    const state = Atomics.load(words, SLEEPING);
    if (
      state === IDLE ||
      (state === HOLDING &&
        Atomics.load(words, RELEASED) >= Atomics.load(words, HOLD_FOR) &&
        2 * Atomics.load(words, ARRIVED) >= Atomics.load(words, EXPECTED))
    )
      Atomics.notify(words, WAKE);
  }

  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closing = true;
    Atomics.store(this.words, STOP, 1);
    Atomics.add(this.words, WAKE, 1);
    Atomics.notify(this.words, WAKE);
    void this.worker.terminate();
  }

  // The worker is gone: what was requested fails, and nobody waits for it any more.
  private die(error: Error): void {
    if (this.closing || this.dead !== null) return;
    this.dead = Object.assign(new Error(`EIO: ${error.message}`), { code: "EIO" });
    if (this.requested !== null && !this.isCovered()) this.callbacks.onFailure(this.requested.generation, this.dead);
    this.releaseIdleWaiters();
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private isCovered(): boolean {
    const requested = this.requested;
    const covered = this.covered;
    return (
      requested === null ||
      (covered !== null && covered.generation === requested.generation && covered.size === requested.size)
    );
  }

  // Waits for completions while something requested is not covered yet.
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.isCovered() && this.dead === null) {
        const wait = this.waitAsync(this.words, DONE_COUNT, this.seenCount);
        if (wait.async) await wait.value;
        this.collect();
      }
    } finally {
      this.listening = false;
      this.releaseIdleWaiters();
    }
  }

  // Reads what the worker finished since the last look: durations first, then the latest completion.
  private collect(): void {
    const count = Atomics.load(this.words, DONE_COUNT);
    if (count === this.seenCount) return;
    let generation: number, size: number, errno: number;
    for (;;) {
      const version = Atomics.load(this.words, DONE_VERSION);
      if ((version & 1) !== 0) continue;
      generation = Atomics.load(this.words, DONE_GENERATION);
      errno = Atomics.load(this.words, DONE_ERRNO);
      size = this.floats[DONE_SIZE] as number;
      if (Atomics.load(this.words, DONE_VERSION) === version) break;
    }
    // The DONE fields belong to completion `count` or a later one; durations are read up to that one.
    const newest = Math.max(count, Atomics.load(this.words, DONE_COUNT));
    for (let index = Math.max(this.seenCount, newest - DURATION_SLOTS); index < newest; index += 1) {
      const micros = this.floats[DURATIONS + (index % DURATION_SLOTS)] as number;
      if (micros >= 0) this.callbacks.onDuration(micros);
    }
    this.seenCount = newest;
    this.covered = { generation, size };
    if (errno === 0) this.callbacks.onCovered(generation, size);
    else this.callbacks.onFailure(generation, fsyncError(errno, "the AOF"));
  }
}
