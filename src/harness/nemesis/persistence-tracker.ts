// Polls INFO persistence of the live engine (every 20 ms) to know, per engine incarnation, when the last
// completed RDB save began (a lower bound: the send time of the last poll before rdb_saves grew, since Redis
// counts a save when it forks), whether a BGSAVE / AOF rewrite / load is running, and aof_delayed_fsync.
import { readInfo } from "../engines/raw-client.ts";
import type { Endpoint } from "../engines/types.ts";

/** One INFO persistence reading. */
export interface PersistenceSnapshot {
  /** When the INFO request was sent / answered (µs, the run clock). */
  sendUs: number;
  replyUs: number;
  /** rdb_saves: saves started since the process began. */
  saves: number;
  bgsave: boolean;
  rewrite: boolean;
  loading: boolean;
  lastBgsaveOk: boolean;
  /** aof_delayed_fsync (0 when AOF is off). */
  delayedFsync: number;
  rewrites: number;
}

/** A save seen by the tracker. */
interface TrackedSave {
  /** Lower bound of the fork time. */
  startLowerUs: number;
  done: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Parses the fields the tracker needs.
function toSnapshot(info: Record<string, string>, sendUs: number, replyUs: number): PersistenceSnapshot {
  return {
    sendUs,
    replyUs,
    saves: Number(info["rdb_saves"] ?? 0),
    bgsave: info["rdb_bgsave_in_progress"] === "1",
    rewrite: info["aof_rewrite_in_progress"] === "1",
    loading: info["loading"] === "1",
    lastBgsaveOk: (info["rdb_last_bgsave_status"] ?? "ok") === "ok",
    delayedFsync: Number(info["aof_delayed_fsync"] ?? 0),
    rewrites: Number(info["aof_rewrites"] ?? 0),
  };
}

/** Tracks saves and background work of the engine across restarts. */
export class PersistenceTracker {
  readonly #endpoint: Endpoint;
  readonly #nowUs: () => number;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  #previous: PersistenceSnapshot | undefined;
  #incarnationStartUs = 0;
  #saves: TrackedSave[] = [];
  #completed = 0;
  #lastCompletedStartUs: number | null = null;
  #delayedAtRoundStart = 0;
  #delayedMax = 0;
  #waiters = new Set<() => void>();

  constructor(options: { endpoint: Endpoint; nowUs: () => number; intervalMs?: number }) {
    this.#endpoint = options.endpoint;
    this.#nowUs = options.nowUs;
    this.#intervalMs = options.intervalMs ?? 20;
  }

  /** Starts polling. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#polling = this.#polling.then(() => this.poll().then(() => undefined));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops polling (waits for the poll in flight). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }

  /** A new engine process starts now: its counters start from zero, and nothing it saves is known yet. */
  beginIncarnation(startUs: number): void {
    this.#incarnationStartUs = startUs;
    this.#previous = undefined;
    this.#saves = [];
    this.#lastCompletedStartUs = null;
    this.#delayedAtRoundStart = 0;
    this.#delayedMax = 0;
  }

  /** Marks the start of a crash round for writePostponed(). */
  beginRound(): void {
    this.#delayedAtRoundStart = this.#delayedMax;
  }

  /** Lower bound of the start of the last save that completed OK in this incarnation; null when none did. */
  lastCompletedSaveStartUs(): number | null {
    return this.#lastCompletedStartUs;
  }

  /** Saves completed OK since the tracker was created (all incarnations). */
  completedSaves(): number {
    return this.#completed;
  }

  /** True when aof_delayed_fsync grew since beginRound(): the engine postponed an AOF write. */
  writePostponed(): boolean {
    return this.#delayedMax > this.#delayedAtRoundStart;
  }

  /** The last reading. */
  latest(): PersistenceSnapshot | undefined {
    return this.#previous;
  }

  /** Reads INFO once and updates the state; undefined when the engine did not answer. */
  async poll(): Promise<PersistenceSnapshot | undefined> {
    const sendUs = this.#nowUs();
    let info: Record<string, string>;
    try {
      info = await readInfo(this.#endpoint, "persistence", 1000);
    } catch {
      return undefined;
    }
    const snapshot = toSnapshot(info, sendUs, this.#nowUs());
    if (sendUs < this.#incarnationStartUs) return snapshot;
    this.#update(snapshot);
    for (const wake of this.#waiters) wake();
    return snapshot;
  }

  // Folds a reading into the save list.
  #update(snapshot: PersistenceSnapshot): void {
    const previous = this.#previous;
    const knownSaves = previous?.saves ?? 0;
    const lowerUs = previous?.sendUs ?? this.#incarnationStartUs;
    for (let n = knownSaves; n < snapshot.saves; n++) this.#saves.push({ startLowerUs: lowerUs, done: false });
    const open = this.#saves.filter((save) => !save.done);
    // Everything started is finished when no BGSAVE runs; the newest one's status is the one INFO reports.
    if (!snapshot.bgsave && open.length > 0) {
      for (const save of open) save.done = true;
      const newest = open[open.length - 1];
      if (snapshot.lastBgsaveOk && newest !== undefined) {
        this.#lastCompletedStartUs = newest.startLowerUs;
        this.#completed++;
      }
    } else if (snapshot.bgsave && open.length > 1) {
      // An older save finished and a newer one began between two readings.
      for (const save of open.slice(0, -1)) save.done = true;
      const finished = open[open.length - 2];
      if (finished !== undefined && snapshot.lastBgsaveOk) {
        this.#lastCompletedStartUs = finished.startLowerUs;
        this.#completed++;
      }
    }
    this.#delayedMax = Math.max(this.#delayedMax, snapshot.delayedFsync);
    this.#previous = snapshot;
  }

  /** Waits until a reading satisfies the predicate; undefined on timeout or abort. */
  async waitFor(
    predicate: (snapshot: PersistenceSnapshot) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<PersistenceSnapshot | undefined> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && signal?.aborted !== true) {
      const latest = this.#previous;
      if (latest !== undefined && predicate(latest)) return latest;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        void sleep(Math.min(this.#intervalMs * 2, Math.max(1, deadline - performance.now()))).then(wake);
      });
    }
    return undefined;
  }
}
