// check-rdb: validates an RDB file's structure and checksum without loading it into a server, and
// prints what it found (aux fields, databases, keys by type, expiries) or the first error with its
// byte offset. Exit code 0 when the file is valid, 1 otherwise (as redis-check-rdb). Also checks the
// RDB preamble at the start of an AOF file for check-aof.
import { readFileSync } from "node:fs";
import { RdbFormatError } from "../persistence/rdb/errors.ts";
import { RDB_TYPE_NAMES } from "../persistence/rdb/format.ts";
import { RdbParser, type RdbEntrySink } from "../persistence/rdb/rdb-loader.ts";

/** Counters collected while walking a file. */
interface CheckCounts {
  keys: number;
  expires: number;
  alreadyExpired: number;
  byType: Map<string, number>;
  databases: Set<number>;
}

/** Walks a whole RDB buffer, printing progress lines through `print`; returns the exit code. */
export function checkRdbBuffer(
  buffer: Uint8Array,
  fileName: string,
  print: (line: string) => void,
  nowMs = Date.now(),
): number {
  const counts: CheckCounts = { keys: 0, expires: 0, alreadyExpired: 0, byType: new Map(), databases: new Set() };
  const sink: RdbEntrySink = {
    selectDatabase: (index, offset) => {
      counts.databases.add(index);
      print(`[offset ${offset}] Selecting DB ID ${index}`);
    },
    onAux: (name, value, offset) => print(`[offset ${offset}] AUX FIELD ${name} = '${value}'`),
    add: (_dbIndex, _key, _value, expireAtMs, type) => {
      counts.keys += 1;
      const name = RDB_TYPE_NAMES[type] ?? `type ${type}`;
      counts.byType.set(name, (counts.byType.get(name) ?? 0) + 1);
      if (expireAtMs !== undefined) {
        counts.expires += 1;
        if (expireAtMs < nowMs) counts.alreadyExpired += 1;
      }
    },
  };
  print(`[offset 0] Checking RDB file ${fileName}`);
  const printSummary = (): void => {
    print(`[info] ${counts.keys} keys read`);
    print(`[info] ${counts.expires} expires`);
    print(`[info] ${counts.alreadyExpired} already expired`);
    for (const [type, count] of [...counts.byType].sort()) print(`[info] ${count} keys of type ${type}`);
  };
  let parser: RdbParser | null = null;
  try {
    parser = new RdbParser(buffer, sink, {
      fileName,
      nowMs,
      dropExpired: false,
      verifyChecksum: true,
      onDuplicate: "replace",
      functionLibraries: "count",
    });
    while (!parser.step(4096));
  } catch (error) {
    if (!(error instanceof RdbFormatError)) throw error;
    print("--- RDB ERROR DETECTED ---");
    print(`[offset ${error.offset}] ${error.reason}`);
    printSummary();
    return 1;
  }
  const result = parser.result;
  const at = `[offset ${result.bytesConsumed}]`;
  if (result.checksum === "ok") print(`${at} Checksum OK`);
  else if (result.checksum === "disabled")
    print(`${at} RDB file was saved with checksum disabled: no check performed.`);
  print(`${at} \\o/ RDB looks OK! \\o/`);
  printSummary();
  if (result.functionsSkipped > 0) print(`[info] ${result.functionsSkipped} function libraries`);
  if (result.bytesConsumed < buffer.length)
    print(`[info] ${buffer.length - result.bytesConsumed} bytes follow the RDB (an AOF tail?)`);
  return 0;
}

/** The tool entry: `check-rdb <file>`. */
export async function checkRdbTool(args: readonly string[]): Promise<number> {
  const file = args[0];
  if (file === undefined || args.length !== 1) {
    process.stderr.write("Usage: check-rdb <rdb-file-name>\n");
    return 1;
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    process.stdout.write(`Cannot open file ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const lines: string[] = [];
  const code = checkRdbBuffer(buffer, file, (line) => lines.push(line));
  process.stdout.write(lines.join("\n") + "\n");
  return code;
}

/** Checks the RDB at the start of `buffer` (check-aof): report lines, validity, and the bytes it took. */
export function checkRdbPreamble(
  buffer: Uint8Array,
  fileName: string,
): { ok: boolean; lines: string[]; bytes: number } {
  const lines: string[] = [];
  const code = checkRdbBuffer(buffer, fileName, (line) => {
    if (!/^\[info\] \d+ bytes follow the RDB/.test(line)) lines.push(line);
  });
  if (code !== 0) return { ok: false, lines, bytes: 0 };
  try {
    const parser = new RdbParser(
      buffer,
      { selectDatabase: () => {}, add: () => {} },
      { fileName, nowMs: Date.now(), dropExpired: false, onDuplicate: "replace", functionLibraries: "count" },
    );
    while (!parser.step(4096));
    return { ok: true, lines, bytes: parser.result.bytesConsumed };
  } catch (error) {
    if (error instanceof RdbFormatError) return { ok: false, lines: [...lines, error.message], bytes: 0 };
    throw error;
  }
}
