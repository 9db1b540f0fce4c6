// The disk-fault control file shared with the LD_PRELOAD shim (native/powerloss/powerloss.c): the harness
// writes which fault is in force, every shimmed process (the engine and its fork children) reads it on each
// file call through a shared mapping, and adds up what it injected in the counters read back here.
import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** The disk faults the shim injects, limited to files at or below the watched data directory. */
export const DISK_FAULT_KINDS = ["disk-full", "write-eio", "fsync-eio", "slow-fsync", "read-only"] as const;
export type DiskFaultKind = (typeof DISK_FAULT_KINDS)[number];

/** One fault in force: the kind, plus its parameters. */
export interface DiskFaultSetting {
  readonly kind: DiskFaultKind;
  /** fsync-eio: cut off what was written since the file's last good sync, as Linux drops dirty pages. */
  readonly dropUnsynced?: boolean;
  /** slow-fsync: each fsync/fdatasync first sleeps a seeded delay in [minMs, maxMs]. */
  readonly delayMs?: { readonly min: number; readonly max: number };
  /** Seed of the slow-fsync delays. */
  readonly seed?: number;
}

/** What the shim injected since the control file was created (summed over every shimmed process). */
export interface DiskFaultCounters {
  readonly writesFailed: number;
  readonly syncsFailed: number;
  readonly namesFailed: number;
  readonly syncsDelayed: number;
  readonly bytesDropped: number;
  readonly delayTotalMs: number;
}

/** Environment variable read by the shim. */
export const FAULT_CONTROL_ENV = "PERSISTLAB_FAULT_CTL";

const CONTROL_SIZE = 4096;
const MAGIC = 0x31464c50; // "PLF1"
const HEADER_BYTES = 24;
const COUNTERS_OFFSET = 32;
const COUNTER_COUNT = 6;
const KIND_CODES: Readonly<Record<DiskFaultKind, number>> = {
  "disk-full": 1,
  "write-eio": 2,
  "fsync-eio": 3,
  "slow-fsync": 4,
  "read-only": 5,
};
const FLAG_DROP_UNSYNCED = 1;

/** The control file of one run: create it before starting the engine, pass `env()` to the engine's spawn. */
export class DiskFaultControl {
  readonly path: string;
  private fd: number | null;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Creates (or resets) the control file at `path`, outside the data directory, with no fault in force. */
  static create(path: string): DiskFaultControl {
    const fd = openSync(path, "w+");
    writeSync(fd, Buffer.alloc(CONTROL_SIZE), 0, CONTROL_SIZE, 0);
    const control = new DiskFaultControl(path, fd);
    control.set(null);
    return control;
  }

  /** The spawn environment entry that makes the shim map this file. */
  env(): Record<string, string> {
    return { [FAULT_CONTROL_ENV]: this.path };
  }

  /** Puts `setting` in force (null: a healthy disk) for every shimmed process, from their next file call. */
  set(setting: DiskFaultSetting | null): void {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(setting === null ? 0 : KIND_CODES[setting.kind], 4);
    header.writeUInt32LE(setting?.dropUnsynced === true ? FLAG_DROP_UNSYNCED : 0, 8);
    header.writeUInt32LE(clampMs(setting?.delayMs?.min ?? 0), 12);
    header.writeUInt32LE(clampMs(setting?.delayMs?.max ?? setting?.delayMs?.min ?? 0), 16);
    header.writeUInt32LE((setting?.seed ?? 0) >>> 0, 20);
    writeSync(this.openFd(), header, 0, HEADER_BYTES, 0);
  }

  /** The shim's counters, read from the shared file. */
  counters(): DiskFaultCounters {
    const raw = Buffer.alloc(COUNTER_COUNT * 8);
    readSync(this.openFd(), raw, 0, raw.length, COUNTERS_OFFSET);
    const at = (index: number): number => Number(raw.readBigUInt64LE(index * 8));
    return {
      writesFailed: at(0),
      syncsFailed: at(1),
      namesFailed: at(2),
      syncsDelayed: at(3),
      bytesDropped: at(4),
      delayTotalMs: at(5) / 1000,
    };
  }

  /** Clears the fault and closes the file (the shimmed processes keep their mapping of a healthy disk). */
  close(): void {
    if (this.fd === null) return;
    this.set(null);
    closeSync(this.fd);
    this.fd = null;
  }

  private openFd(): number {
    if (this.fd === null) throw new Error(`disk-fault control ${this.path} is closed`);
    return this.fd;
  }
}

function clampMs(value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`disk-fault delay must be a non-negative number of ms, got ${value}`);
  return Math.min(Math.round(value), 600_000);
}
