// Disaster-drill damage to persistence files, seeded: a torn AOF tail (the last command cut short), bytes
// flipped in the middle of an AOF or RDB file, an RDB cut in the middle. Returns what was done, or why not.
import { existsSync } from "node:fs";
import { open, readFile, stat, truncate } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Rng } from "../../shared/rng.ts";
import type { CorruptionKind } from "../config.ts";
import type { StrategyTraits } from "../strategy-traits.ts";

/** The damage done, relative to the data directory. */
export interface Corruption {
  kind: CorruptionKind;
  file: string;
  sizeBytes: number;
  /** Torn tail / truncate: the new length; flips: the first flipped byte. */
  offset: number;
  /** Bytes flipped or cut off. */
  bytes: number;
}

/** An AOF file listed in the manifest. */
interface AofFile {
  name: string;
  type: string;
}

// Reads the manifest's file lines (`file <name> seq <n> type <b|h|i>`).
async function readManifest(path: string): Promise<AofFile[]> {
  const text = await readFile(path, "utf8");
  return text.split("\n").flatMap((line) => {
    const match = /^file\s+"?([^"\s]+)"?\s+seq\s+\d+\s+type\s+([bhi])/.exec(line.trim());
    return match === null ? [] : [{ name: match[1] ?? "", type: match[2] ?? "" }];
  });
}

// The AOF file to damage: the last incr file, or the largest listed file when that one is nearly empty.
async function pickAofFile(dataDir: string, traits: StrategyTraits): Promise<string | undefined> {
  const dir = join(dataDir, traits.appenddirname);
  const manifest = join(dir, "appendonly.aof.manifest");
  if (!existsSync(manifest)) return undefined;
  const files = (await readManifest(manifest)).filter((file) => file.type !== "h" && existsSync(join(dir, file.name)));
  const sized = await Promise.all(
    files.map(async (file) => ({ ...file, size: (await stat(join(dir, file.name))).size })),
  );
  const lastIncr = sized.filter((file) => file.type === "i").at(-1);
  if (lastIncr !== undefined && lastIncr.size >= 64) return join(dir, lastIncr.name);
  const largest = [...sized].sort((a, b) => b.size - a.size)[0];
  return largest === undefined || largest.size === 0 ? undefined : join(dir, largest.name);
}

// Flips `count` bytes (XOR 0xff) from a seeded offset in the middle 30-70 % of the file.
async function flipBytes(
  path: string,
  rng: Rng,
  count: number,
): Promise<{ offset: number; bytes: number; size: number }> {
  const size = (await stat(path)).size;
  const bytes = Math.min(count, Math.max(1, Math.floor(size / 4)));
  const offset = Math.min(size - bytes, Math.floor(size * (0.3 + 0.4 * rng.next())));
  const handle = await open(path, "r+");
  try {
    const buffer = Buffer.alloc(bytes);
    await handle.read(buffer, 0, bytes, offset);
    for (let i = 0; i < bytes; i++) buffer[i] = (buffer[i] ?? 0) ^ 0xff;
    await handle.write(buffer, 0, bytes, offset);
  } finally {
    await handle.close();
  }
  return { offset, bytes, size };
}

// Cuts the file strictly inside its last RESP command (after the last "\r\n*" or the start).
async function tearTail(path: string, rng: Rng): Promise<{ offset: number; bytes: number; size: number }> {
  const content = await readFile(path);
  const size = content.length;
  const lastStart = Math.max(0, content.lastIndexOf("\r\n*", size - 3) + 2);
  const span = Math.max(1, size - lastStart - 1);
  const offset = lastStart + 1 + rng.int(span);
  await truncate(path, Math.min(offset, size - 1));
  return { offset: Math.min(offset, size - 1), bytes: size - Math.min(offset, size - 1), size };
}

/** Why a corruption kind cannot apply to a strategy at all, or undefined when it can. */
export function getDrillInapplicableReason(kind: CorruptionKind, traits: StrategyTraits): string | undefined {
  if (kind.startsWith("aof-")) return traits.aof ? undefined : "the strategy has no AOF (appendonly no)";
  if (traits.aof) return "the strategy loads its AOF at start-up, not the RDB file";
  return traits.savePoints ? undefined : "the strategy takes no RDB snapshots (no save points)";
}

/** Applies a corruption kind to the data directory; a string says why it does not apply to this strategy. */
export async function corruptDataDir(options: {
  dataDir: string;
  traits: StrategyTraits;
  kind: CorruptionKind;
  rng: Rng;
  bytes: number;
}): Promise<Corruption | string> {
  const { dataDir, traits, kind, rng } = options;
  const inapplicable = getDrillInapplicableReason(kind, traits);
  if (inapplicable !== undefined) return inapplicable;
  if (kind.startsWith("aof-")) {
    const file = await pickAofFile(dataDir, traits);
    if (file === undefined) return "no AOF file with data to damage";
    const done = kind === "aof-torn-tail" ? await tearTail(file, rng) : await flipBytes(file, rng, options.bytes);
    return { kind, file: relative(dataDir, file), sizeBytes: done.size, offset: done.offset, bytes: done.bytes };
  }
  const file = join(dataDir, traits.dbfilename);
  if (!existsSync(file) || (await stat(file)).size < 32)
    return `no ${traits.dbfilename} with data to damage (no save completed yet)`;
  if (kind === "rdb-flip-bytes") {
    const done = await flipBytes(file, rng, options.bytes);
    return { kind, file: traits.dbfilename, sizeBytes: done.size, offset: done.offset, bytes: done.bytes };
  }
  const size = (await stat(file)).size;
  const offset = Math.floor(size * (0.3 + 0.4 * rng.next()));
  await truncate(file, offset);
  return { kind, file: traits.dbfilename, sizeBytes: size, offset, bytes: size - offset };
}
