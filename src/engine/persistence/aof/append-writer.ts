// The AOF append path: the buffer of propagated writes, one write per event-loop turn, and the fsync
// policy. `always` is a group commit (group-commit.ts): each turn's writes go to the file at once (one
// write), and an fdatasync on the group-commit thread covers everything written before it started; a
// turn's replies are held until some fsync that started after its write has returned. While one fsync
// runs, the next batches execute and write; the next fsync starts on that thread without waiting for
// the event loop (after a short commit delay, see group-commit.ts). `everysec` fsyncs in the background
// about once a second and postpones writes while that fsync runs (Redis's rule: up to 2 s, then write
// anyway and count aof_delayed_fsync). `no` leaves it to the kernel.
//
// Durability watermark: `writtenBytes` counts every byte written to any AOF file; an fsync that starts
// when it is N makes everything up to N durable once it and the retiring of earlier files have finished.
// Each attached file has a generation number; the group commit reports "generation G durable up to size
// S", which is the watermark `fileBase + S` while G is the current file.
import { closeSync, fdatasyncSync, ftruncateSync, writeSync } from "node:fs";
import type { AppendFsync } from "../../config/settings.ts";
import { FatalPersistenceError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { strerror } from "../../util/strerror.ts";
import { faultPoint } from "../fault-points.ts";
import { closeAsync } from "./fd-io.ts";
import { FsyncThreads } from "./fsync-threads.ts";
import type { FsyncStats } from "./fsync-stats.ts";
import { createGroupCommitter, type GroupCommitter } from "./group-commit.ts";

/**
 * The threads every writer's other fsyncs run on (everysec's background fsync, retiring files, a
 * rewrite's sync ahead, close), started on first use. The group commit has its own thread.
 */
const fsyncThreads = new FsyncThreads(2);

/** open(2) flags of every AOF file we append to ("a": O_WRONLY|O_CREAT|O_APPEND, which keeps writes at the end after a truncate). */
export const AOF_APPEND_FLAGS = "a";

/** What the writer needs from its owner. */
export interface AppendWriterOptions {
  readonly policy: () => AppendFsync;
  /** True while fsyncs are skipped (no-appendfsync-on-rewrite yes and a background job running). */
  readonly skipFsync: () => boolean;
  readonly stats: FsyncStats;
  readonly log: Logger;
  readonly nowSec: () => number;
  /** Called with the number of bytes each successful write added (aof_current_size bookkeeping). */
  readonly onWritten: (bytes: number) => void;
  /** fdatasync on the thread pool (tests pass a slow or counting one). */
  readonly fsync?: (fd: number) => Promise<void>;
  /** Microseconds to block before each write of a non-empty buffer (DEBUG AOF-FLUSH-SLEEP; 0 = none). */
  readonly flushSleepUs?: () => number;
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function createDeferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Appends to the current incr file with the configured fsync policy. */
export class AofAppendWriter {
  private readonly options: AppendWriterOptions;
  private fd: number | null = null;
  private closing = false;
  private pending = "";
  /** Entries (propagated commands or blocks) in `pending`, and in the last successful write. */
  private pendingEntries = 0;
  private lastWriteEntries = 0;
  /** Entries whose turns markDurable released since the group commit was last told (its commit delay). */
  private releasedEntries = 0;
  /** Bytes written to the current file (aof_last_incr_size). */
  incrSize = 0;
  /** Bytes of the current file covered by an fsync (aof_last_incr_fsync_offset). */
  private fsyncedSize = 0;
  /** Set after a switch until the new file is reachable on disk (see switchTo). */
  private reachable: Promise<void> | undefined;
  /** Previous files still to fsync and close (after a rewrite switched files). */
  private retiring: number[] = [];
  private lane: Promise<void> = Promise.resolve();
  private laneJobs = 0;
  /** The group commit (created on first use), the current file's generation and its first byte's watermark. */
  private committer: GroupCommitter | null = null;
  private generation = 0;
  private fileBase = 0;
  /** The current file's size the group commit last reported durable. */
  private committedSize = 0;
  /** Turns waiting for durability, in order of their (increasing) watermarks. */
  private waiters: {
    readonly target: number;
    readonly entries: number;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private writtenBytes = 0;
  private durableBytes = 0;
  private backgroundFsyncRunning = false;
  private lastFsyncSec: number;
  private postponedStartSec = 0;
  private postponed: Deferred | null = null;
  private lastWriteErrorLogSec = 0;
  /** aof_delayed_fsync. */
  delayedFsync = 0;
  /** everysec: times replies began waiting for a write postponed behind a background fsync, and for how long in all (µs). */
  postponedWaits = 0;
  postponedWaitUs = 0;
  /** When the current wait began (performance.now ms), or -1. */
  private postponedSinceMs = -1;
  /** The errno text of the last failed write or background fsync, null when writes succeed. */
  writeError: string | null = null;
  /** Errno code of the last failed background fsync, until one succeeds (refuses writes: MISCONF). */
  fsyncError: string | null = null;

  constructor(options: AppendWriterOptions) {
    this.options = options;
    this.lastFsyncSec = options.nowSec();
  }

  /** Whether a file is attached and accepting appends. */
  get isOpen(): boolean {
    return this.fd !== null && !this.closing;
  }

  /** Bytes appended to any AOF file by this process (persistlab_aof_appended_bytes; rewrites do not reset it). */
  get appendedBytes(): number {
    return this.writtenBytes;
  }

  /** aof_buffer_length: bytes waiting to be written. */
  get bufferLength(): number {
    return this.pending.length;
  }

  /** aof_pending_bio_fsync: 1 while an fsync runs on the thread pool. */
  get pendingFsync(): number {
    return this.laneJobs > 0 || this.committer?.busy === true ? 1 : 0;
  }

  /** Starts appending to an open fd whose file already holds `size` bytes (all of them durable). */
  attach(fd: number, size: number): void {
    this.fd = fd;
    this.generation += 1;
    this.fileBase = this.writtenBytes - size;
    this.committedSize = size;
    this.incrSize = size;
    this.fsyncedSize = size;
    this.lastFsyncSec = this.options.nowSec();
  }

  /** Adds encoded writes to the buffer (written at the end of the turn). */
  append(text: string): void {
    this.pending += text;
    this.pendingEntries += 1;
  }

  /**
   * Writes what is pending and fdatasyncs the current file on the thread pool: a rewrite calls it just
   * before sealCurrent(), so that the synchronous fsync there has only a few ms of writes left to flush
   * (under everysec a second of writes could be waiting, and flushing it blocked the loop for 10+ ms).
   */
  async syncAhead(): Promise<void> {
    const fd = this.fd;
    if (fd === null || this.closing) return;
    this.tryWritePending();
    const covered = this.writtenBytes;
    await this.fsyncFile(fd, this.incrSize);
    this.markDurable(covered);
  }

  /**
   * Writes what is pending and fdatasyncs the current file, synchronously, before the caller makes
   * another file the last incr: a file that is no longer last must never end torn, even after a power
   * loss (the loader refuses a truncated non-last file). No command can append in between.
   */
  sealCurrent(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.writePending();
    const started = performance.now();
    fdatasyncSync(fd);
    this.options.stats.record((performance.now() - started) * 1000);
    this.fsyncedSize = this.incrSize;
    this.markDurable(this.writtenBytes);
  }

  /**
   * Switches to a new file (a rewrite opened a new incr): what is buffered goes to the old file first,
   * which is then fsynced and closed on the lane. Durability promises already made stay valid.
   * `reachable`, when given, is what must finish before the new file's data can count as durable (the
   * directory fsync after the manifest that names it was renamed into place).
   */
  switchTo(fd: number, reachable?: Promise<void>): void {
    if (this.fd !== null) {
      this.writePending();
      this.resolvePostponed();
      this.retiring.push(this.fd);
      this.runInLane(async () => {
        await this.retireAll();
        this.releaseCommitted();
      }).catch((error: unknown) => this.recordFsyncError(error));
    }
    this.fd = fd;
    this.generation += 1;
    this.fileBase = this.writtenBytes;
    this.committedSize = 0;
    this.incrSize = 0;
    this.fsyncedSize = 0;
    this.lastFsyncSec = this.options.nowSec();
    this.reachable = reachable;
    reachable?.then(
      () => {
        if (this.reachable === reachable) this.reachable = undefined;
        this.releaseCommitted();
      },
      (error: unknown) => this.recordFsyncError(error),
    );
  }

  /**
   * The end of an event-loop turn (Redis's beforeSleep flush): write what the turn produced and
   * return null when replies may leave, or a promise resolving when the policy's promise holds.
   */
  flushBeforeReplies(): Promise<void> | null {
    if (this.fd === null) return null;
    switch (this.options.policy()) {
      case "always":
        return this.flushAlways();
      case "everysec":
        return this.flushEverysec(false);
      case "no":
        this.tryWritePending();
        return null;
    }
  }

  /** Periodic work: postponed writes, the everysec fsync when idle, retrying failed writes. */
  cron(): void {
    if (this.fd === null) return;
    const policy = this.options.policy();
    if (policy === "always") {
      this.flushAlways()?.catch((error: unknown) => this.fatal(error));
    } else if (policy === "everysec") {
      void this.flushEverysec(false);
    } else {
      this.tryWritePending();
    }
  }

  /** Writes what is buffered, fsyncs and closes the file (shutdown, appendonly no). */
  async close(): Promise<void> {
    const fd = this.fd;
    if (fd === null || this.closing) return;
    // From here on nothing is appended; the fd stays usable until the lane has synced everything, so
    // replies waiting on an earlier group commit are still released only after a real fsync.
    this.closing = true;
    this.tryWritePending();
    this.resolvePostponed();
    const committer = this.committer;
    await this.runInLane(async () => {
      // The group commit starts no fsync after this (nothing is written any more); let a running one end.
      await committer?.idle();
      await this.retireAll();
      await this.timedFsync(fd);
      // Everything written is durable now: release any turn still waiting on a group commit.
      this.markDurable(this.writtenBytes);
      this.fd = null;
      this.closing = false;
      await closeAsync(fd);
    });
  }

  /** Writes the buffered appends to the file now, without fsync (DEBUG LOADAOF's flushAppendOnlyFile). */
  writeBufferedNow(): void {
    if (this.fd !== null) this.tryWritePending();
  }

  /** Closes without fsync (the file is being abandoned, e.g. a failed start). */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.closing = false;
    this.pending = "";
    this.pendingEntries = 0;
    this.resolvePostponed();
  }

  /** Resolves when every lane job queued so far (fsyncs, closes) has finished. */
  async drain(): Promise<void> {
    await this.lane;
  }

  // --- always -------------------------------------------------------------------------------------

  private flushAlways(): Promise<void> | null {
    let entries = 0;
    if (this.pending !== "") {
      try {
        if (this.writePending() > 0) faultPoint("aof:after-write-before-fsync");
        entries = this.lastWriteEntries;
      } catch (error) {
        return Promise.reject(
          new FatalPersistenceError([
            `Error writing to the AOF file: ${strerror(error)}`,
            "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...",
          ]),
        );
      }
    }
    const target = this.writtenBytes;
    if (this.options.skipFsync()) {
      // no-appendfsync-on-rewrite during a rewrite: written is as durable as it gets (Redis does the same).
      this.markDurable(target);
      return this.durableBytes >= target ? null : this.waitFor(target, entries);
    }
    const unsynced = this.fsyncedSize < this.incrSize;
    if (this.durableBytes >= target && this.retiring.length === 0 && !unsynced) return null;
    const durable = this.waitFor(target, entries);
    this.startAlwaysFsync(entries);
    return durable;
  }

  // Publishes the current file's size (and the entries just written) to the group commit.
  private startAlwaysFsync(entries: number): void {
    const fd = this.fd;
    if (fd === null || this.waiters.length === 0) return;
    this.committer ??= createGroupCommitter(
      {
        onDuration: (micros) => this.options.stats.record(micros),
        onCovered: (generation, size) => {
          this.onCommitted(generation, size);
          this.committer?.released(this.releasedEntries);
          this.releasedEntries = 0;
        },
        onFailure: (generation, error) => this.onCommitFailed(generation, error),
      },
      (descriptor) => this.timedCall(descriptor),
      this.options.fsync !== undefined,
    );
    this.committer.written(this.generation, fd, this.incrSize, entries);
  }

  // The group commit made the first `size` bytes of file `generation` durable.
  private onCommitted(generation: number, size: number): void {
    if (generation !== this.generation) return; // a retired file: the lane's own fsync covers it
    if (size > this.committedSize) this.committedSize = size;
    if (size > this.fsyncedSize) this.fsyncedSize = size;
    this.lastFsyncSec = this.options.nowSec();
    this.releaseCommitted();
  }

  // Raises the watermark to what the group commit covered in the current file, once the files before it
  // are retired (fsynced) and the manifest naming it is durable.
  private releaseCommitted(): void {
    if (this.retiring.length > 0 || this.reachable !== undefined) return;
    this.markDurable(this.fileBase + this.committedSize);
  }

  // Under always, a failed fsync of the current file is fatal (the waiters reject; Redis exits too). A
  // failure about a file already retired is not: the lane fsyncs that file itself and reports its errors.
  private onCommitFailed(generation: number, error: Error): void {
    if (generation !== this.generation) return;
    const waiters = this.waiters;
    this.waiters = [];
    const fatal = new FatalPersistenceError([
      `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(error)}. Exiting...`,
    ]);
    for (const waiter of waiters) waiter.reject(fatal);
  }

  private waitFor(target: number, entries: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push({ target, entries, resolve, reject }));
  }

  // Raises the durable watermark and releases the turns it covers (in order).
  private markDurable(bytes: number): void {
    if (bytes > this.durableBytes) this.durableBytes = bytes;
    let released = 0;
    while (released < this.waiters.length && (this.waiters[released] as { target: number }).target <= this.durableBytes)
      released += 1;
    if (released === 0) return;
    const ready = this.waiters.splice(0, released);
    for (const waiter of ready) {
      this.releasedEntries += waiter.entries;
      waiter.resolve();
    }
  }

  // --- everysec -----------------------------------------------------------------------------------

  private flushEverysec(force: boolean): Promise<void> | null {
    const now = this.options.nowSec();
    if (this.pending === "") {
      if (this.fsyncedSize !== this.incrSize && now > this.lastFsyncSec && !this.backgroundFsyncRunning)
        this.startBackgroundFsync(now);
      return null;
    }
    if (!force && this.backgroundFsyncRunning) {
      if (this.postponedStartSec === 0) {
        this.postponedStartSec = now;
        return this.postponedPromise();
      }
      if (now - this.postponedStartSec < 2) return this.postponedPromise();
      this.delayedFsync += 1;
      this.options.log.notice(
        "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
      );
    }
    const ok = this.tryWritePending();
    this.postponedStartSec = 0;
    this.resolvePostponed();
    if (!ok) return null;
    if (now > this.lastFsyncSec) {
      if (!this.backgroundFsyncRunning) this.startBackgroundFsync(now);
      this.lastFsyncSec = now;
    }
    return null;
  }

  private startBackgroundFsync(now: number): void {
    if (this.options.skipFsync() || this.fd === null) return;
    const fd = this.fd;
    this.backgroundFsyncRunning = true;
    this.fsyncedSize = this.incrSize;
    this.lastFsyncSec = now;
    const covered = this.writtenBytes;
    this.runInLane(async () => {
      await this.timedFsync(fd);
      this.markDurable(covered);
      // Like Redis's bio fsync status: only a later background fsync that succeeds clears the error.
      this.fsyncError = null;
    })
      .catch((error: unknown) => this.recordFsyncError(error))
      .finally(() => {
        this.backgroundFsyncRunning = false;
        // Writes postponed behind this fsync go out now rather than at the next cron tick.
        if (this.postponed !== null && this.fd !== null && this.options.policy() === "everysec")
          void this.flushEverysec(false);
      });
  }

  private postponedPromise(): Promise<void> {
    if (this.postponed === null) {
      this.postponed = createDeferred();
      this.postponedWaits += 1;
      this.postponedSinceMs = performance.now();
    }
    return this.postponed.promise;
  }

  private resolvePostponed(): void {
    const postponed = this.postponed;
    this.postponed = null;
    if (this.postponedSinceMs >= 0) {
      this.postponedWaitUs += Math.round((performance.now() - this.postponedSinceMs) * 1000);
      this.postponedSinceMs = -1;
    }
    postponed?.resolve();
  }

  // --- writes and fsyncs --------------------------------------------------------------------------

  // Writes the buffer to the current file; returns the bytes written. Throws on a write error after
  // undoing a partial write (ftruncate back), so the file never keeps half a batch.
  private writePending(): number {
    const fd = this.fd;
    const data = this.pending;
    if (data === "" || fd === null) return 0;
    const sleepUs = this.options.flushSleepUs?.() ?? 0;
    if (sleepUs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleepUs / 1000);
    let written = 0;
    try {
      // Written as a latin1 string (one byte per char): the runtime encodes it straight into the write's
      // own buffer, with no JS Buffer allocated and copied in between (about 9% of the CPU at P=16).
      written = writeSync(fd, data, null, "latin1");
      while (written < data.length) written += writeSync(fd, data.slice(written), null, "latin1");
    } catch (error) {
      if (written > 0) {
        try {
          ftruncateSync(fd, this.incrSize);
          written = 0;
        } catch {
          this.options.log.warning(
            "Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.",
          );
        }
      }
      if (written > 0) {
        this.pending = this.pending.slice(written);
        this.accountWritten(written);
      }
      throw error;
    }
    this.pending = "";
    this.lastWriteEntries = this.pendingEntries;
    this.pendingEntries = 0;
    this.accountWritten(data.length);
    if (this.writeError !== null) {
      this.options.log.warning("AOF write error looks solved, Redis can write again.");
      this.writeError = null;
    }
    return data.length;
  }

  // writePending for the policies that survive write errors: records the error (MISCONF) and keeps the data.
  private tryWritePending(): boolean {
    try {
      this.writePending();
      return true;
    } catch (error) {
      const now = this.options.nowSec();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (now - this.lastWriteErrorLogSec > 30) {
        this.lastWriteErrorLogSec = now;
        this.options.log.warning(`Error writing to the AOF file: ${strerror(error)}`);
      }
      this.writeError = code;
      return false;
    }
  }

  private accountWritten(bytes: number): void {
    this.incrSize += bytes;
    this.writtenBytes += bytes;
    this.options.onWritten(bytes);
  }

  // fdatasyncs `fd`, the current file when called, which then held `size` bytes: they count as fsynced
  // if it is still the current file.
  private async fsyncFile(fd: number, size: number): Promise<void> {
    await this.timedFsync(fd);
    if (fd === this.fd && size > this.fsyncedSize) this.fsyncedSize = size;
    this.lastFsyncSec = this.options.nowSec();
  }

  // The figure recorded is the fdatasync call's own duration, timed on the thread that makes it.
  private async timedFsync(fd: number): Promise<void> {
    this.options.stats.record(await this.timedCall(fd));
  }

  // One fdatasync (the injected one in tests), resolving with its duration in µs.
  private async timedCall(fd: number): Promise<number> {
    const injected = this.options.fsync;
    if (injected === undefined) return fsyncThreads.fdatasync(fd);
    const started = performance.now();
    await injected(fd);
    return (performance.now() - started) * 1000;
  }

  private async retireAll(): Promise<void> {
    while (this.retiring.length > 0) {
      const fd = this.retiring[0] as number;
      await this.timedFsync(fd);
      this.retiring.shift();
      await closeAsync(fd);
    }
  }

  // Runs jobs one at a time in order; a failed job does not stop the ones after it.
  private runInLane(job: () => Promise<void>): Promise<void> {
    this.laneJobs += 1;
    const run = this.lane.then(job).finally(() => {
      this.laneJobs -= 1;
    });
    this.lane = run.catch(() => {});
    return run;
  }

  // Redis's aof_bio_fsync_status: logged once per change to error, kept apart from the write status so
  // that a later successful write does not clear it (only a successful background fsync or reopen does).
  private recordFsyncError(error: unknown): void {
    if (this.fsyncError === null) this.options.log.warning(`Fail to fsync the AOF file: ${strerror(error)}`);
    this.fsyncError = (error as NodeJS.ErrnoException).code ?? strerror(error);
  }

  private fatal(error: unknown): void {
    this.options.log.warning(
      `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${error instanceof Error ? error.message : String(error)}. Exiting...`,
    );
    process.exit(1);
  }
}
