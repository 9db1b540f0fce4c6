// The AOF manifest (Redis 7.0 multi-part AOF): one line per file, `file <name> seq <n> type <b|h|i>`,
// base first, then history, then incrs by seq. Parsing follows aofLoadManifestFromFile() rule by rule
// (its error texts included); formatting follows getAofManifestAsString(). Pure: no I/O here.
//
//   file appendonly.aof.2.base.rdb seq 2 type b
//   file appendonly.aof.1.incr.aof seq 1 type h
//   file appendonly.aof.2.incr.aof seq 2 type i
import { baseFileName, incrFileName } from "./file-names.ts";
import { splitArgs } from "../../util/split-args.ts";
import { needsQuoting, quoteName } from "./manifest-quoting.ts";

/** b = base, h = history (to delete), i = incr. */
export type AofFileType = "b" | "h" | "i";

/** One file named by the manifest. */
export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

/** The manifest in memory. Mutated only on copies (cloneManifest) until a swap is durable. */
export interface AofManifest {
  base: AofFileInfo | null;
  history: AofFileInfo[];
  incrs: AofFileInfo[];
  /** Seq of the current base (0 when none yet); the next base gets this + 1. */
  currentBaseSeq: number;
  /** Seq of the newest incr (0 when none yet); the next incr gets this + 1. */
  currentIncrSeq: number;
}

/** A manifest Redis would refuse: the reason, and the offending line when there is one. */
export class ManifestFormatError extends Error {
  override readonly name = "ManifestFormatError";
  readonly reason: string;
  readonly lineNumber: number | null;
  readonly lineText: string | null;
  constructor(reason: string, line?: { number: number; text: string }) {
    super(line === undefined ? reason : `${reason} (line ${line.number}: '${line.text}')`);
    this.reason = reason;
    this.lineNumber = line?.number ?? null;
    this.lineText = line?.text ?? null;
  }
}

// Redis reads lines with fgets into a 1024+1 byte buffer.
const MANIFEST_MAX_LINE = 1024;

/** An empty manifest (no files yet). */
export function createEmptyManifest(): AofManifest {
  return { base: null, history: [], incrs: [], currentBaseSeq: 0, currentIncrSeq: 0 };
}

/** A deep copy to modify before a swap. */
export function cloneManifest(manifest: AofManifest): AofManifest {
  return { ...manifest, history: [...manifest.history], incrs: [...manifest.incrs] };
}

// atoll(): leading blanks, optional sign, digits; 0 when there are none.
function parseLeadingInteger(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/** Parses manifest text (latin1); throws ManifestFormatError with Redis's reason text. */
export function parseManifest(text: string): AofManifest {
  const manifest = createEmptyManifest();
  let maxSeq = 0;
  let lineNumber = 0;
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf("\n", position);
    // fgets reads at most MANIFEST_MAX_LINE bytes; a line that does not fit (or lacks its newline) is refused.
    const rawEnd = newline === -1 ? text.length : newline + 1;
    const chunkEnd = Math.min(rawEnd, position + MANIFEST_MAX_LINE);
    const raw = text.slice(position, chunkEnd);
    position = chunkEnd;
    lineNumber += 1;
    if (raw.startsWith("#")) continue;
    if (!raw.includes("\n")) throw new ManifestFormatError("The AOF manifest file contains too long line");
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const where = { number: lineNumber, text: line };
    if (line === "") throw new ManifestFormatError("Invalid AOF manifest file format", where);
    const words = splitArgs(line);
    if (words === null || words.length < 6 || words.length % 2 !== 0)
      throw new ManifestFormatError("Invalid AOF manifest file format", where);
    let name: string | null = null;
    let seq = 0;
    let type = "";
    for (let index = 0; index < words.length; index += 2) {
      const key = (words[index] as string).toLowerCase();
      const value = words[index + 1] as string;
      if (key === "file") {
        name = value;
        if (name.includes("/") || name.includes("\\"))
          throw new ManifestFormatError("File can't be a path, just a filename", where);
      } else if (key === "seq") seq = parseLeadingInteger(value);
      else if (key === "type") type = value.slice(0, 1);
    }
    if (name === null || seq === 0 || type === "")
      throw new ManifestFormatError("Invalid AOF manifest file format", where);
    if (type === "b") {
      if (manifest.base !== null) throw new ManifestFormatError("Found duplicate base file information", where);
      manifest.base = { name, seq, type };
      manifest.currentBaseSeq = seq;
    } else if (type === "h") {
      manifest.history.push({ name, seq, type });
    } else if (type === "i") {
      if (seq <= maxSeq) throw new ManifestFormatError("Found a non-monotonic sequence number", where);
      manifest.incrs.push({ name, seq, type });
      manifest.currentIncrSeq = seq;
      maxSeq = seq;
    } else throw new ManifestFormatError("Unknown AOF file type", where);
  }
  if (lineNumber === 0) throw new ManifestFormatError("Found an empty AOF manifest");
  return manifest;
}

/** One manifest line, the name quoted when it needs it. */
export function formatManifestLine(info: AofFileInfo): string {
  const name = needsQuoting(info.name) ? quoteName(info.name) : info.name;
  return `file ${name} seq ${info.seq} type ${info.type}\n`;
}

/** The manifest as Redis writes it: base, then history, then incrs. */
export function formatManifest(manifest: AofManifest): string {
  let out = "";
  if (manifest.base !== null) out += formatManifestLine(manifest.base);
  for (const info of manifest.history) out += formatManifestLine(info);
  for (const info of manifest.incrs) out += formatManifestLine(info);
  return out;
}

/** Adds the next incr file (seq + 1) at the end; returns it. */
export function addNewIncr(manifest: AofManifest, appendFilename: string): AofFileInfo {
  manifest.currentIncrSeq += 1;
  const info: AofFileInfo = {
    name: incrFileName(appendFilename, manifest.currentIncrSeq),
    seq: manifest.currentIncrSeq,
    type: "i",
  };
  manifest.incrs.push(info);
  return info;
}

/** Makes the previous base history (first in the list) and names the next base; returns it. */
export function addNewBase(manifest: AofManifest, appendFilename: string, rdbPreamble: boolean): AofFileInfo {
  if (manifest.base !== null) manifest.history.unshift({ ...manifest.base, type: "h" });
  manifest.currentBaseSeq += 1;
  const info: AofFileInfo = {
    name: baseFileName(appendFilename, manifest.currentBaseSeq, rdbPreamble),
    seq: manifest.currentBaseSeq,
    type: "b",
  };
  manifest.base = info;
  return info;
}

/** After a rewrite: every incr but the one being written (when `keepLast`) becomes history. */
export function markRewrittenIncrsAsHistory(manifest: AofManifest, keepLast: boolean): void {
  const kept = keepLast ? manifest.incrs.slice(-1) : [];
  const rewritten = keepLast ? manifest.incrs.slice(0, -1) : manifest.incrs;
  // Redis walks from the tail and adds each at the head, so history keeps the incrs' order.
  // (An array literal, not unshift(...items): the incrs of repeated failed rewrites could outgrow a call's arguments.)
  manifest.history = [...rewritten.map((info) => ({ ...info, type: "h" as const })), ...manifest.history];
  manifest.incrs = kept;
}

/** The files loading reads, in order: base then incrs. */
export function listLoadableFiles(manifest: AofManifest): AofFileInfo[] {
  return manifest.base === null ? [...manifest.incrs] : [manifest.base, ...manifest.incrs];
}
