// Pure replay of a power-loss journal into "what is durable": per file (inode) the length made durable
// by fsync/fdatasync, and per path the name the disk would show after a crash (creates, renames and
// unlinks count only once their directory was fsynced). No I/O: apply-power-cut.ts acts on the result.
import { dirname } from "node:path";
import type { JournalEvent } from "../../shim/journal.ts";

/**
 * How directory entries become durable.
 * - "posix": only an fsync of the directory holding the entry (what portable software must assume).
 * - "ext4": any successful fsync/fdatasync commits the whole running jbd2 transaction, so every earlier
 *   create/rename/unlink on the filesystem becomes durable with it (ext4 data=ordered in practice).
 */
export type NamespaceModel = "posix" | "ext4";

/** One file (one inode generation) seen in the journal. */
export interface InodeRecord {
  /** Stable id: "dev:ino#generation". */
  id: string;
  inode: string;
  /** Created by the traced process (O_CREAT on a missing path), so it has no durable name until a directory sync. */
  created: boolean;
  /** Bytes known durable (last successful fsync size; the open size for files that pre-existed). Infinity after sync(). */
  syncedBytes: number;
  /** Bytes written through write/pwrite/writev records (stdio writes are not seen; sizes come from stat). */
  writtenBytes: number;
  /** Lowest offset written since the last sync (undefined when none): below syncedBytes means an in-place overwrite. */
  dirtyFromOffset: number | undefined;
  /** A hard link kept by the shim when the file lost its last name (unlink, or replaced by rename). */
  shadowPath: string | undefined;
  /** Whether an fsync of it failed (data state unknown: treated as unsynced). */
  fsyncFailed: boolean;
  /** Opened with O_SYNC or O_DSYNC: each write is durable when it returns. */
  syncOnWrite: boolean;
}

/** Replay options. */
export interface DurabilityModelOptions {
  namespaceModel?: NamespaceModel;
  /**
   * Writes journalled at or before this wall-clock time (µs) count as flushed by the kernel's own
   * writeback (Linux: dirty_expire_centisecs, 30 s by default). Undefined: every unsynced byte is at risk.
   */
  writebackBeforeUs?: number;
}

/** The replayed state at the moment of the crash. */
export interface DurabilityModel {
  inodes: InodeRecord[];
  /** Path → file as the process left it (what is on disk now, for the paths the journal mentions). */
  current: Map<string, InodeRecord>;
  /** Path → file as a power cut would leave it (absent = the name would not exist). */
  durable: Map<string, InodeRecord>;
  /** Paths mentioned by namespace events (the only names the applier may change). */
  touched: Set<string>;
  warnings: string[];
}

const O_TRUNC = 0o1000;
// O_DSYNC is part of O_SYNC (0o4010000) on Linux.
const O_DSYNC = 0o10000;

// Mutable replay state; one instance per buildDurabilityModel call.
class Replay {
  readonly inodes: InodeRecord[] = [];
  readonly byInode = new Map<string, InodeRecord>();
  readonly current = new Map<string, InodeRecord>();
  readonly durable = new Map<string, InodeRecord>();
  readonly touched = new Set<string>();
  readonly warnings: string[] = [];
  readonly model: NamespaceModel;
  readonly writebackBeforeUs: number | undefined;
  #generation = 0;
  constructor(options: DurabilityModelOptions) {
    this.model = options.namespaceModel ?? "posix";
    this.writebackBeforeUs = options.writebackBeforeUs;
  }

  createRecord(inode: string, created: boolean, syncedBytes: number): InodeRecord {
    const record: InodeRecord = {
      id: `${inode || "?"}#${this.#generation++}`,
      inode,
      created,
      syncedBytes,
      writtenBytes: 0,
      dirtyFromOffset: undefined,
      shadowPath: undefined,
      fsyncFailed: false,
      syncOnWrite: false,
    };
    this.inodes.push(record);
    if (inode !== "") this.byInode.set(inode, record);
    return record;
  }

  // The record an fd-based event refers to: by inode, else by the path it was opened under.
  find(event: JournalEvent): InodeRecord | undefined {
    return (event.inode === "" ? undefined : this.byInode.get(event.inode)) ?? this.current.get(event.path);
  }

  open(event: JournalEvent): void {
    const path = event.path;
    const truncated = (event.a & O_TRUNC) !== 0;
    const syncOnWrite = (event.a & O_DSYNC) !== 0;
    const existing = this.current.get(path);
    if (event.b === 1) {
      // Created now: no durable name yet, no durable bytes.
      this.touched.add(path);
      const record = this.createRecord(event.inode, true, 0);
      record.syncOnWrite = syncOnWrite;
      this.current.set(path, record);
      return;
    }
    if (existing !== undefined && (existing.inode === event.inode || event.inode === "")) {
      if (truncated) existing.syncedBytes = 0;
      existing.syncOnWrite ||= syncOnWrite;
      return;
    }
    // First sight of a file that existed before the journal (or was replaced behind our back): its name and
    // its size at open are taken as durable, unless O_TRUNC just emptied it.
    const record = this.createRecord(event.inode, false, truncated ? 0 : event.c);
    record.syncOnWrite = syncOnWrite;
    this.current.set(path, record);
    if (!this.durable.has(path) || existing !== undefined) this.durable.set(path, record);
  }

  write(event: JournalEvent): void {
    const record = this.find(event);
    if (record === undefined) return;
    record.writtenBytes += event.b;
    const flushed =
      record.syncOnWrite || (this.writebackBeforeUs !== undefined && event.timeUs <= this.writebackBeforeUs);
    if (flushed && event.a >= 0 && event.a <= record.syncedBytes) {
      // Durable on return (O_DSYNC) or already written back by the kernel: extends the durable prefix.
      record.syncedBytes = Math.max(record.syncedBytes, event.a + event.b);
      return;
    }
    if (event.a >= 0) record.dirtyFromOffset = Math.min(record.dirtyFromOffset ?? Number.POSITIVE_INFINITY, event.a);
  }

  fsync(event: JournalEvent): void {
    const record = this.find(event);
    if (event.res !== 0) {
      if (record !== undefined) record.fsyncFailed = true;
      return;
    }
    if (record !== undefined && event.b >= 0) {
      record.syncedBytes = record.syncedBytes === Number.POSITIVE_INFINITY ? record.syncedBytes : event.b;
      record.dirtyFromOffset = undefined;
      record.fsyncFailed = false;
    }
    if (this.model === "ext4") this.commitNamespace(undefined);
  }

  fsyncDirectory(event: JournalEvent): void {
    if (event.res !== 0) return;
    this.commitNamespace(this.model === "ext4" ? undefined : event.path);
  }

  // Makes the current entries of one directory (or of all, when undefined) durable.
  commitNamespace(directory: string | undefined): void {
    const inScope = (path: string): boolean => directory === undefined || dirname(path) === directory;
    for (const path of [...this.durable.keys()])
      if (inScope(path) && !this.current.has(path)) this.durable.delete(path);
    for (const [path, record] of this.current) if (inScope(path)) this.durable.set(path, record);
  }

  rename(event: JournalEvent): void {
    if (event.res !== 0) return;
    if (event.b === 1) {
      this.warnings.push(`directory rename ${event.path} -> ${event.path2} is not modelled (treated as durable)`);
      return;
    }
    const from = event.path;
    const to = event.path2;
    this.touched.add(from);
    this.touched.add(to);
    let moved = this.current.get(from) ?? (event.inode === "" ? undefined : this.byInode.get(event.inode));
    if (moved === undefined) {
      // Renamed into view from outside the journal's knowledge: its old name and content count as durable.
      moved = this.createRecord(event.inode, false, Number.POSITIVE_INFINITY);
      this.durable.set(from, moved);
    }
    const replaced = this.current.get(to);
    if (replaced !== undefined && replaced !== moved && event.extra !== "") replaced.shadowPath = event.extra;
    this.current.delete(from);
    this.current.set(to, moved);
  }

  unlink(event: JournalEvent): void {
    if (event.res !== 0) return;
    const path = event.path;
    this.touched.add(path);
    let record = this.current.get(path);
    if (record === undefined && event.inode !== "") {
      record = this.createRecord(event.inode, false, Number.POSITIVE_INFINITY);
      this.durable.set(path, record);
    }
    if (record !== undefined && event.extra !== "") record.shadowPath = event.extra;
    this.current.delete(path);
  }

  truncate(event: JournalEvent): void {
    const record = this.find(event);
    if (record !== undefined) record.syncedBytes = Math.min(record.syncedBytes, event.a);
  }

  syncAll(): void {
    for (const record of this.inodes) record.syncedBytes = Number.POSITIVE_INFINITY;
    this.commitNamespace(undefined);
  }
}

/** Replays journal events (in journal order) into the durable state a power cut would leave. */
export function buildDurabilityModel(
  events: readonly JournalEvent[],
  options: DurabilityModelOptions = {},
): DurabilityModel {
  const replay = new Replay(options);
  for (const event of events) {
    switch (event.op) {
      case "open":
        replay.open(event);
        break;
      case "write":
        replay.write(event);
        break;
      case "fsync":
        replay.fsync(event);
        break;
      case "fsync-dir":
        replay.fsyncDirectory(event);
        break;
      case "rename":
        replay.rename(event);
        break;
      case "unlink":
        replay.unlink(event);
        break;
      case "truncate":
        replay.truncate(event);
        break;
      case "sync-all":
        replay.syncAll();
        break;
      default:
        break; // hello, open-dir, close, sync-file-range: no durability effect
    }
  }
  return {
    inodes: replay.inodes,
    current: replay.current,
    durable: replay.durable,
    touched: replay.touched,
    warnings: replay.warnings,
  };
}
