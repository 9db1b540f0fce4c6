// check-aof: redis-check-aof 7.0's semantics (`check-aof [--fix|--truncate-to-timestamp <t>] <file|manifest>`):
// a manifest is checked file by file (base, then incrs; only the last may be truncated), a single file
// as an old-style AOF (RDB preamble included). Same messages, offsets and exit codes (0 valid, 1 not).
import { closeSync, openSync, readFileSync, readSync, statSync, truncateSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseManifest, ManifestFormatError, listLoadableFiles } from "../persistence/aof/manifest.ts";
import { checkRdbPreamble } from "./check-rdb.ts";
import { createScanCounters, scanAofCommands, TimestampAbort, type ScanCounters } from "./check-aof-scan.ts";

type SingleResult = "ok" | "empty" | "truncated" | "timestamp-truncated";

// Any exit(1) of redis-check-aof: the message was printed, stop with code 1.
class CheckAofExit extends Error {}

/** Where the tool writes its report and reads the --fix confirmation. */
export interface CheckAofIo {
  write(text: string): void;
  readLine(): string;
}

// The current run's I/O (the checks below print through it).
let io: CheckAofIo = { write: () => {}, readLine: () => "" };
const print = (line: string): void => io.write(line + "\n");

// Reads one answer line from stdin (the --fix confirmation).
function readStdinLine(): string {
  const byte = Buffer.alloc(1);
  let answer = "";
  for (;;) {
    let read = 0;
    try {
      read = readSync(0, byte, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      return answer;
    }
    if (read === 0 || byte[0] === 0x0a) return answer;
    answer += String.fromCharCode(byte[0] as number);
  }
}

function isRdbFile(path: string): boolean {
  const size = statSync(path).size;
  if (size < 8) return false;
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(5);
    readSync(fd, head, 0, 5, 0);
    return head.toString("latin1") === "REDIS";
  } finally {
    closeSync(fd);
  }
}

function isManifestFile(path: string): boolean {
  const text = readFileSync(path).toString("latin1");
  if (text.length === 0) return false;
  return text.split("\n").some((line) => !line.startsWith("#") && line.startsWith("file"));
}

function checkSingle(options: {
  name: string;
  path: string;
  lastFile: boolean;
  fix: boolean;
  preamble: boolean;
  toTimestamp: number;
  counters: ScanCounters;
}): SingleResult {
  const { name, path } = options;
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    print(`Cannot open file ${path}: ${(error as Error).message}, aborting...`);
    throw new CheckAofExit();
  }
  const size = buffer.length;
  if (size === 0) return "empty";
  let start = 0;
  if (options.preamble) {
    const report = checkRdbPreamble(buffer, name);
    for (const line of report.lines) print(line);
    if (!report.ok) {
      print("RDB preamble of AOF file is not sane, aborting.");
      throw new CheckAofExit();
    }
    print("RDB preamble is OK, proceeding with AOF tail...");
    start = report.bytes;
  }
  let scan;
  try {
    scan = scanAofCommands({
      buffer,
      start,
      path,
      counters: options.counters,
      toTimestamp: options.toTimestamp,
      lastFile: options.lastFile,
    });
  } catch (error) {
    if (error instanceof TimestampAbort) {
      print(error.message);
      throw new CheckAofExit();
    }
    throw error;
  }
  if (scan.timestampCut !== null) {
    truncateSync(path, scan.timestampCut);
    return "timestamp-truncated";
  }
  if (scan.formatError) print(`AOF ${name} format error`);
  if (scan.error !== "") print(scan.error);
  const diff = size - scan.okUpTo;
  if (diff === 0 && options.toTimestamp !== 0) {
    print(`Truncate nothing in AOF ${name} to timestamp ${options.toTimestamp}`);
    return "ok";
  }
  print(
    `AOF analyzed: filename=${name}, size=${size}, ok_up_to=${scan.okUpTo}, ok_up_to_line=${options.counters.line}, diff=${diff}`,
  );
  if (diff <= 0) return "ok";
  if (!options.fix) {
    print(`AOF ${name} is not valid. Use the --fix option to try fixing it.`);
    throw new CheckAofExit();
  }
  if (!options.lastFile) {
    print(`Failed to truncate AOF ${name} because it is not the last file`);
    throw new CheckAofExit();
  }
  print(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${scan.okUpTo} bytes`);
  io.write("Continue? [y/N]: ");
  if (!io.readLine().toLowerCase().startsWith("y")) {
    print("Aborting...");
    throw new CheckAofExit();
  }
  truncateSync(path, scan.okUpTo);
  return "truncated";
}

function reportSingle(kind: string, name: string, result: SingleResult, toTimestamp: number): void {
  if (result === "ok") print(`${kind}${name} is valid`);
  else if (result === "empty") print(`${kind}${name} is empty`);
  else if (result === "timestamp-truncated") print(`Successfully truncated AOF ${name} to timestamp ${toTimestamp}`);
  else print(`Successfully truncated AOF ${name}`);
}

function checkMultiPart(manifestPath: string, fix: boolean, toTimestamp: number): void {
  print("Start checking Multi Part AOF");
  let manifest;
  try {
    manifest = parseManifest(readFileSync(manifestPath).toString("latin1"));
  } catch (error) {
    if (!(error instanceof ManifestFormatError)) throw error;
    print("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
    if (error.lineNumber !== null)
      print(`Reading the manifest file, at line ${error.lineNumber}\n\n>>> '${error.lineText ?? ""}'\n`);
    print(`${error.reason}\n`);
    throw new CheckAofExit();
  }
  const directory = dirname(manifestPath);
  const files = listLoadableFiles(manifest);
  const counters: ScanCounters = createScanCounters();
  files.forEach((file, index) => {
    const path = join(directory, file.name);
    const lastFile = index === files.length - 1;
    if (file.type === "b") {
      const preamble = isRdbFile(path);
      print(`Start to check BASE AOF (${preamble ? "RDB" : "RESP"} format).`);
      reportSingle(
        "BASE AOF ",
        file.name,
        checkSingle({ name: file.name, path, lastFile, fix, preamble, toTimestamp, counters }),
        toTimestamp,
      );
    } else {
      if (index === (manifest.base === null ? 0 : 1)) print("Start to check INCR files.");
      reportSingle(
        "INCR AOF ",
        file.name,
        checkSingle({ name: file.name, path, lastFile, fix, preamble: false, toTimestamp, counters }),
        toTimestamp,
      );
    }
  });
  print("All AOF files and manifest are valid");
}

function usage(): number {
  print("Usage: persistlab check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>");
  return 1;
}

/** Runs check-aof on the process's stdout/stdin; resolves with the exit code. */
export async function runCheckAof(args: readonly string[]): Promise<number> {
  return checkAof(args, { write: (text) => process.stdout.write(text), readLine: readStdinLine });
}

/** check-aof with redis-check-aof's arguments and the given I/O; returns the exit code. */
export function checkAof(args: readonly string[], runIo: CheckAofIo): number {
  io = runIo;
  let fix = false;
  let toTimestamp = 0;
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === "--fix") fix = true;
    else if (arg === "--truncate-to-timestamp") {
      const text = args[index + 1];
      index += 1;
      if (text === undefined || !/^[+-]?\d+$/.test(text)) {
        print("Invalid timestamp, aborting...");
        return 1;
      }
      toTimestamp = Number(text);
    } else rest.push(arg);
  }
  if (rest.length !== 1) return usage();
  const path = rest[0] as string;
  try {
    try {
      statSync(path);
    } catch (error) {
      print(`Cannot open file ${path}: ${(error as Error).message}`);
      return 1;
    }
    if (isManifestFile(path)) checkMultiPart(path, fix, toTimestamp);
    else {
      const preamble = isRdbFile(path);
      print("Start checking Old-Style AOF");
      reportSingle(
        "AOF ",
        path,
        checkSingle({ name: path, path, lastFile: true, fix, preamble, toTimestamp, counters: createScanCounters() }),
        toTimestamp,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof CheckAofExit) return 1;
    throw error;
  }
}
