// Per-key access data for the LRU and LFU eviction policies, kept only while such a policy is in
// use with maxmemory set (one null check on the read path otherwise): the last access time (LRU
// idle time) and Redis's logarithmic access counter with its decay (LFU), as evict.c defines them.

const LFU_INIT_VAL = 5;

/** What the tracker knows of a key. */
export interface KeyAccess {
  lastAccessMs: number;
  /** Redis's 8-bit logarithmic counter. */
  counter: number;
  /** When the counter was last decayed, in minutes. */
  decayedAtMinute: number;
}

/** LFU parameters (lfu-log-factor, lfu-decay-time). */
export interface LfuParameters {
  logFactor: number;
  decayMinutes: number;
}

/** Access data of one database's keys. */
export class AccessTracker {
  private readonly keys = new Map<string, KeyAccess>();
  private readonly now: () => number;
  private readonly lfu: () => LfuParameters;

  constructor(now: () => number, lfu: () => LfuParameters) {
    this.now = now;
    this.lfu = lfu;
    this.startedAtMs = now();
  }

  /** Records an access (read or write) of `key`. */
  touch(key: string): void {
    const now = this.now();
    const entry = this.keys.get(key);
    if (entry === undefined) {
      this.keys.set(key, { lastAccessMs: now, counter: LFU_INIT_VAL, decayedAtMinute: Math.floor(now / 60_000) });
      return;
    }
    this.decay(entry, now);
    entry.counter = logIncrement(entry.counter, this.lfu().logFactor);
    entry.lastAccessMs = now;
  }

  /** When tracking began (keys never seen since count as accessed then). */
  private readonly startedAtMs: number;

  /** Milliseconds since the last access (keys never seen count as accessed at tracking start). */
  idleMs(key: string): number {
    const entry = this.keys.get(key);
    return this.now() - (entry === undefined ? this.startedAtMs : entry.lastAccessMs);
  }

  /** Sets a key's access data as RESTORE ... IDLETIME / FREQ gives it. */
  restore(key: string, access: { idleMs?: number; counter?: number }): void {
    const now = this.now();
    const entry = this.keys.get(key) ?? {
      lastAccessMs: now,
      counter: LFU_INIT_VAL,
      decayedAtMinute: Math.floor(now / 60_000),
    };
    if (access.idleMs !== undefined) entry.lastAccessMs = now - access.idleMs;
    if (access.counter !== undefined) {
      entry.counter = access.counter;
      entry.decayedAtMinute = Math.floor(now / 60_000);
    }
    this.keys.set(key, entry);
  }

  /** The decayed LFU counter (LFU_INIT_VAL for keys never seen). */
  frequency(key: string): number {
    const entry = this.keys.get(key);
    if (entry === undefined) return LFU_INIT_VAL;
    this.decay(entry, this.now());
    return entry.counter;
  }

  /** Forgets a key (deleted or evicted). */
  forget(key: string): void {
    this.keys.delete(key);
  }

  // LFUDecrAndReturn: one step down per lfu-decay-time minutes elapsed.
  private decay(entry: KeyAccess, now: number): void {
    const decayMinutes = this.lfu().decayMinutes;
    const minute = Math.floor(now / 60_000);
    if (decayMinutes <= 0 || minute <= entry.decayedAtMinute) return;
    const periods = Math.floor((minute - entry.decayedAtMinute) / decayMinutes);
    if (periods === 0) return;
    entry.counter = Math.max(0, entry.counter - periods);
    entry.decayedAtMinute = minute;
  }
}

// LFULogIncr: the higher the counter, the less likely an access raises it.
function logIncrement(counter: number, logFactor: number): number {
  if (counter >= 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const probability = 1 / (base * logFactor + 1);
  return Math.random() < probability ? counter + 1 : counter;
}
