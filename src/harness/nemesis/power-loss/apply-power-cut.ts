// Applies a simulated power cut to a data directory after the engine was SIGKILLed: replays the shim's
// journal (durability-model.ts), undoes namespace changes that no directory fsync made durable, and cuts
// every file back to a seeded point between its fsynced and its written length (torn tails included).
import { existsSync } from "node:fs";
import { copyFile, link, lstat, mkdir, open, realpath, rename, rm, truncate } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { createRng, type Rng } from "../../shared/rng.ts";
import { buildDurabilityModel, type InodeRecord, type NamespaceModel } from "./durability-model.ts";
import { resolveShadowDir, validateJournalPlacement } from "../../shim/environment.ts";
import { readJournal } from "../../shim/journal.ts";

/**
 * How much of the unsynced tail survives. "random": a seeded point in [synced, written] (torn tails);
 * "synced-only": exactly the synced length (worst case); "all-written": nothing lost (a plain crash).
 */
export type TailMode = "random" | "synced-only" | "all-written";

/** Input of applyPowerCut. */
export interface PowerCutOptions {
  dataDir: string;
  logPath: string;
  seed: number;
  tailMode?: TailMode;
  /** Probability (0..1) that a cut file keeps a zero-filled stretch past its kept bytes (redis#5177 tails). Default 0. */
  zeroFillProbability?: number;
  namespaceModel?: NamespaceModel;
  /** Move the journal to `<log>.applied` and empty the shadow directory afterwards (default true). */
  resetJournal?: boolean;
  /**
   * Model the kernel's periodic writeback: writes older than this many ms before the crash count as on disk
   * (Linux default dirty_expire_centisecs = 3000, i.e. 30000 ms). Default: undefined, every unsynced byte at risk.
   */
  kernelWritebackMs?: number;
  /** Crash time (µs since the epoch, the journal's clock) for kernelWritebackMs; default: now. */
  crashTimeUs?: number;
}

/** What happened to one file that survives the cut. */
export interface PowerCutFile {
  /** Path relative to dataDir. */
  path: string;
  /** Size when the process died (bytes the kernel had). */
  writtenBytes: number;
  /** Bytes made durable by fsync/fdatasync (capped at writtenBytes). */
  syncedBytes: number;
  /** Real bytes kept (the file's length is keptBytes + zeroFilledBytes). */
  keptBytes: number;
  /** Zero bytes appended after the kept bytes (a tail whose size reached disk before its data). */
  zeroFilledBytes: number;
  /** Bytes written after the last fsync at offsets below syncedBytes: overwrites the model cannot undo. */
  unsyncedOverwriteBytes: number;
}

/** A name change the cut undid. */
export interface NamespaceUndo {
  kind: "create-dropped" | "rename-undone" | "unlink-undone" | "replace-undone" | "restore-impossible";
  /** Path relative to dataDir. */
  path: string;
  /** Where restored contents came from (relative to dataDir, or the shadow link). */
  from?: string;
}

/** Result of applyPowerCut: per file figures, undone renames/creates/unlinks, journal health. */
export interface PowerCutReport {
  seed: number;
  tailMode: TailMode;
  namespaceModel: NamespaceModel;
  files: PowerCutFile[];
  undone: NamespaceUndo[];
  journalRecords: number;
  tornRecords: number;
  /** Sum over files of writtenBytes - keptBytes. */
  lostBytes: number;
  warnings: string[];
}

// Where each record's bytes are right now: one of its current names, else its shadow link.
function locateSources(current: Map<string, InodeRecord>, inodes: readonly InodeRecord[]): Map<InodeRecord, string> {
  const sources = new Map<InodeRecord, string>();
  for (const path of [...current.keys()].sort()) {
    const record = current.get(path);
    if (record !== undefined && !sources.has(record) && existsSync(path)) sources.set(record, path);
  }
  for (const record of inodes)
    if (!sources.has(record) && record.shadowPath !== undefined && existsSync(record.shadowPath))
      sources.set(record, record.shadowPath);
  return sources;
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

// Keep point between synced and written according to the tail mode; the rng is drawn once per file in path order.
function chooseKeptBytes(rng: Rng, mode: TailMode, syncedBytes: number, writtenBytes: number): number {
  if (mode === "all-written") return writtenBytes;
  if (mode === "synced-only") return syncedBytes;
  return syncedBytes + rng.int(writtenBytes - syncedBytes + 1);
}

function classifyUndo(
  path: string,
  want: InodeRecord | undefined,
  have: InodeRecord | undefined,
  model: ReturnType<typeof buildDurabilityModel>,
): NamespaceUndo["kind"] {
  if (want === undefined) {
    const stillNamed = [...model.durable.values()].includes(have as InodeRecord);
    return have?.created === true && !stillNamed ? "create-dropped" : "rename-undone";
  }
  if (have !== undefined) return "replace-undone";
  return [...model.current.values()].includes(want) ? "rename-undone" : "unlink-undone";
}

function warnAboutLiveWriters(pids: ReadonlySet<number>, warnings: string[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 0);
      warnings.push(
        `process ${pid} from the journal is still alive (kill the whole process tree, fork children included, before the cut)`,
      );
    } catch {
      // gone, as it should be
    }
  }
}

/** Applies the cut in place (the engine and its children must be dead); deterministic for a seed and journal. */
export async function applyPowerCut(options: PowerCutOptions): Promise<PowerCutReport> {
  const { seed, tailMode = "random", zeroFillProbability = 0, namespaceModel = "posix", resetJournal = true } = options;
  validateJournalPlacement(options.dataDir, options.logPath);
  const dataDir = await realpath(options.dataDir);
  const journal = await readJournal(options.logPath);
  const crashTimeUs = options.crashTimeUs ?? Date.now() * 1000;
  const model = buildDurabilityModel(journal.events, {
    namespaceModel,
    ...(options.kernelWritebackMs === undefined
      ? {}
      : { writebackBeforeUs: crashTimeUs - options.kernelWritebackMs * 1000 }),
  });
  const warnings = [...model.warnings];
  if (journal.tornRecords > 0) warnings.push(`${journal.tornRecords} torn journal record(s) ignored`);
  warnAboutLiveWriters(new Set(journal.events.map((event) => event.pid)), warnings);
  const rng = createRng(seed);
  const tailRng = rng.fork("tail");
  const zeroRng = rng.fork("zero");
  const show = (path: string): string => (path.startsWith(dataDir) ? relative(dataDir, path) : path);

  const sources = locateSources(model.current, model.inodes);
  const sizes = new Map<InodeRecord, number>();
  for (const [record, path] of sources) sizes.set(record, (await lstat(path)).size);

  // 1. Stage every file that must reappear under a name it does not hold now.
  const paths = [...new Set([...model.touched, ...model.durable.keys(), ...model.current.keys()])]
    .filter((path) => path.startsWith(dataDir))
    .sort();
  const changed = paths.filter((path) => model.durable.get(path) !== model.current.get(path));
  const stageDir = `${options.logPath}.stage-${process.pid}`;
  const staged = new Map<InodeRecord, string>();
  const undone: NamespaceUndo[] = [];
  await mkdir(stageDir, { recursive: true });
  for (const path of changed) {
    const want = model.durable.get(path);
    if (want === undefined || staged.has(want)) continue;
    const source = sources.get(want);
    if (source === undefined) continue;
    const stagePath = join(stageDir, String(staged.size));
    await linkOrCopy(source, stagePath);
    staged.set(want, stagePath);
  }
  // 2. Drop names that are not durable, then 3. put durable names back.
  for (const path of changed) await rm(path, { force: true });
  for (const path of changed) {
    const want = model.durable.get(path);
    const have = model.current.get(path);
    if (want === undefined) {
      undone.push({ kind: classifyUndo(path, want, have, model), path: show(path) });
      continue;
    }
    const stagePath = staged.get(want);
    if (stagePath === undefined) {
      undone.push({ kind: "restore-impossible", path: show(path) });
      warnings.push(`${show(path)}: its durable contents no longer exist (no shadow link), left absent`);
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await linkOrCopy(stagePath, path);
    const from = sources.get(want);
    undone.push({
      kind: classifyUndo(path, want, have, model),
      path: show(path),
      ...(from === undefined ? {} : { from: show(from) }),
    });
  }

  // 4. Cut each surviving file (once per inode, the same length under every name it has).
  const namesByRecord = new Map<InodeRecord, string[]>();
  for (const path of paths) {
    const record = model.durable.get(path);
    if (record === undefined || !sizes.has(record) || !existsSync(path)) continue;
    namesByRecord.set(record, [...(namesByRecord.get(record) ?? []), path]);
  }
  const files: PowerCutFile[] = [];
  let lostBytes = 0;
  for (const [record, names] of namesByRecord) {
    const writtenBytes = sizes.get(record) ?? 0;
    const syncedBytes = Math.min(record.syncedBytes, writtenBytes);
    const keptBytes = chooseKeptBytes(tailRng, tailMode, syncedBytes, writtenBytes);
    let zeroFilledBytes = 0;
    if (keptBytes < writtenBytes && zeroRng.next() < zeroFillProbability)
      zeroFilledBytes = 1 + zeroRng.int(writtenBytes - keptBytes);
    for (const name of names) await cutFile(name, keptBytes, zeroFilledBytes);
    const dirty = record.dirtyFromOffset;
    const unsyncedOverwriteBytes = dirty !== undefined && dirty < syncedBytes ? syncedBytes - dirty : 0;
    if (unsyncedOverwriteBytes > 0)
      warnings.push(
        `${show(names[0] ?? "")}: ${unsyncedOverwriteBytes} bytes overwritten in place after the last fsync are kept (not modelled)`,
      );
    lostBytes += writtenBytes - keptBytes;
    for (const name of names)
      files.push({ path: show(name), writtenBytes, syncedBytes, keptBytes, zeroFilledBytes, unsyncedOverwriteBytes });
  }
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  await rm(stageDir, { recursive: true, force: true });
  if (resetJournal) {
    if (existsSync(options.logPath)) await rename(options.logPath, `${options.logPath}.applied`);
    await rm(resolveShadowDir(options.logPath), { recursive: true, force: true });
  }
  return {
    seed,
    tailMode,
    namespaceModel,
    files,
    undone,
    journalRecords: journal.events.length,
    tornRecords: journal.tornRecords,
    lostBytes,
    warnings,
  };
}

// Truncates to keptBytes, then optionally extends with zeros (the file's size survived, its data did not).
async function cutFile(path: string, keptBytes: number, zeroFilledBytes: number): Promise<void> {
  await truncate(path, keptBytes);
  if (zeroFilledBytes === 0) return;
  const handle = await open(path, "r+");
  try {
    await handle.write(Buffer.alloc(zeroFilledBytes), 0, zeroFilledBytes, keptBytes);
  } finally {
    await handle.close();
  }
}
