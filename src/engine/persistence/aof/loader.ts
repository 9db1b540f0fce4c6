// Start-up loading of a multi-part AOF (Redis 7.0 loadAppendOnlyFiles / loadSingleAppendOnlyFile):
// the base (RDB preamble or commands) then every incr, in manifest order, replayed through the fake
// client. A command cut short at the end of the LAST file is repaired by truncating the file when
// aof-load-truncated is yes; anything else wrong refuses to start, naming the file, the offset and the fix.
import { readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../log.ts";
import type { ServerContext } from "../../server/context-types.ts";
import { readAofItem } from "./command-reader.ts";
import { AofLoadError, repairHint } from "./errors.ts";
import { listLoadableFiles, type AofManifest } from "./manifest.ts";
import { AofReplayer } from "./replay.ts";
import { functionLibraryName } from "../rdb/rdb-loader.ts";
import { strerror } from "../../util/strerror.ts";

/** Loads an RDB preamble at the start of `buffer` into the keyspace; returns the bytes it used. Throws on a bad RDB. */
export type PreambleLoader = (buffer: Uint8Array, fileName: string) => Promise<number>;

/** Inputs of a load. */
export interface AofLoadOptions {
  readonly context: ServerContext;
  /** Path of the AOF directory. */
  readonly directory: string;
  readonly manifest: AofManifest;
  /** Manifest path as the operator should pass it to check-aof. */
  readonly manifestPath: string;
  /** appendfilename: a base of that exact name is an old-style AOF (logged differently). */
  readonly appendFilename: string;
  readonly loadTruncated: boolean;
  readonly log: Logger;
  readonly loadPreamble: PreambleLoader;
  /** Progress for INFO loading_* fields. */
  readonly onProgress: (loadedBytes: number, totalBytes: number) => void;
}

/** ok / truncated (repaired) / empty (files exist, all empty) / not-exist (the manifest names no file). */
export type AofLoadStatus = "ok" | "truncated" | "empty" | "not-exist";

/** What a load found. */
export interface AofLoadResult {
  readonly status: AofLoadStatus;
  /** Size of base + incrs after any repair (aof_current_size). */
  readonly totalBytes: number;
  /** Size of the base (aof_base_size until the next rewrite). */
  readonly baseBytes: number;
  readonly commands: number;
}

type FileStatus = "ok" | "truncated" | "empty";

// Yield to the event loop (clients get -LOADING meanwhile) at most this often.
const YIELD_EVERY_MS = 20;

/** Loads base + incrs; throws AofLoadError to refuse start-up. */
export async function loadAofFiles(options: AofLoadOptions): Promise<AofLoadResult> {
  const files = listLoadableFiles(options.manifest);
  if (files.length === 0) return { status: "not-exist", totalBytes: 0, baseBytes: 0, commands: 0 };
  const sizes = files.map((file) => {
    try {
      return statSync(join(options.directory, file.name)).size;
    } catch (error) {
      options.log.warning(`Unable to obtain the AOF file ${file.name} length. stat: ${strerror(error)}`);
      throw new AofLoadError({
        file: file.name,
        reason: "the file named by the manifest does not exist or cannot be read",
        hint: "Restore the file, or fix the manifest",
      });
    }
  });
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  if (totalBytes === 0) return { status: "empty", totalBytes: 0, baseBytes: 0, commands: 0 };
  const loader = new FileLoader(options, totalBytes);
  let status: AofLoadStatus = "ok";
  let finalBytes = 0;
  for (let index = 0; index < files.length; index += 1) {
    const file = files[index] as (typeof files)[number];
    const lastFile = index === files.length - 1;
    const started = performance.now();
    const result = await loader.loadFile(file.name, lastFile);
    if (result.status === "ok" || (result.status === "truncated" && lastFile)) {
      options.log.notice(
        `DB loaded from ${file.type === "b" ? "base" : "incr"} file ${file.name}: ${((performance.now() - started) / 1000).toFixed(3)} seconds`,
      );
    }
    if (result.status === "truncated") status = "truncated";
    finalBytes += result.sizeAfter;
  }
  return {
    status,
    totalBytes: finalBytes,
    baseBytes: options.manifest.base === null ? 0 : loader.baseSize,
    commands: loader.commands,
  };
}

// Loads files one after the other, keeping progress and counters across them.
class FileLoader {
  private readonly options: AofLoadOptions;
  private readonly replayer: AofReplayer;
  private readonly totalBytes: number;
  private loadedBefore = 0;
  baseSize = 0;
  commands = 0;

  constructor(options: AofLoadOptions, totalBytes: number) {
    this.options = options;
    this.replayer = new AofReplayer(options.context);
    this.totalBytes = totalBytes;
  }

  async loadFile(name: string, lastFile: boolean): Promise<{ status: FileStatus; sizeAfter: number }> {
    const options = this.options;
    const log = options.log;
    const path = join(options.directory, name);
    const buffer = readFileSync(path);
    if (options.manifest.base?.name === name) this.baseSize = buffer.length;
    if (buffer.length === 0) return { status: "empty", sizeAfter: 0 };
    this.replayer.startFile();
    let position = 0;
    if (buffer.length >= 5 && buffer.toString("latin1", 0, 5) === "REDIS") {
      const oldStyle = name === options.appendFilename;
      log.notice(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
      try {
        position = await options.loadPreamble(buffer, name);
      } catch (error) {
        log.warning(
          oldStyle
            ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
            : `Error reading the RDB base file ${name}, AOF loading aborted`,
        );
        throw new AofLoadError({
          file: name,
          offset: (error as { offset?: number }).offset ?? null,
          reason: `bad RDB preamble (${(error as Error).message})`,
          hint: repairHint(options.manifestPath),
        });
      }
      if (oldStyle) log.notice("Reading the remaining AOF tail...");
    }
    let validUpTo = position;
    let validBeforeMulti = position;
    let lastYield = performance.now();
    let loops = 0;
    let cutShort = false;
    for (;;) {
      if ((++loops & 1023) === 0) {
        options.onProgress(this.loadedBefore + position, this.totalBytes);
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      const item = readAofItem(buffer, position);
      if (item.kind === "end") break;
      if (item.kind === "truncated") {
        cutShort = true;
        break;
      }
      if (item.kind === "corrupt") {
        log.warning(
          `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
        );
        throw new AofLoadError({
          file: name,
          offset: item.offset,
          reason: `bad file format (${item.reason})`,
          hint: repairHint(options.manifestPath),
        });
      }
      if (item.kind === "annotation") {
        position = item.end;
        continue;
      }
      const isMulti = (item.argv[0] as string).toLowerCase() === "multi";
      if (isMulti) validBeforeMulti = validUpTo;
      if (this.replayer.apply(item.argv) === "unknown-command") {
        log.warning(`Unknown command '${item.argv[0] as string}' reading the append only file ${name}`);
        const library = functionLoadLibrary(item.argv);
        throw new AofLoadError({
          file: name,
          offset: position,
          ...(library === undefined
            ? {
                reason: `unknown command '${item.argv[0] as string}'`,
                hint: "Load it with a build that knows the command, or remove it from the file",
              }
            : {
                reason: `FUNCTION LOAD of the function library "${library}" (persistlab-server has no scripting)`,
                hint: "Load the files in redis-server, or FUNCTION DELETE the library there and rewrite the AOF (BGREWRITEAOF)",
              }),
        });
      }
      this.commands += 1;
      position = item.end;
      validUpTo = position;
    }
    if (!cutShort && this.replayer.inTransaction) {
      log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
      validUpTo = validBeforeMulti;
      cutShort = true;
    }
    this.loadedBefore += buffer.length;
    options.onProgress(this.loadedBefore, this.totalBytes);
    if (!cutShort) return { status: "ok", sizeAfter: buffer.length };
    return { status: "truncated", sizeAfter: this.repairTail(name, path, validUpTo, lastFile, buffer.length) };
  }

  // A command cut short at the end: truncate to the last complete one when allowed, else refuse.
  private repairTail(name: string, path: string, validUpTo: number, lastFile: boolean, size: number): number {
    const { log, loadTruncated, manifestPath } = this.options;
    if (loadTruncated && lastFile) {
      log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
      truncateSync(path, validUpTo);
      log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return validUpTo;
    }
    if (loadTruncated) {
      log.warning("Fatal error: the truncated file is not the last file");
      throw new AofLoadError({
        file: name,
        offset: validUpTo,
        reason: `the file ends in the middle of a command but is not the last file (${size - validUpTo} bytes after the last complete command)`,
        hint: repairHint(manifestPath),
      });
    }
    log.warning(
      `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
    );
    throw new AofLoadError({
      file: name,
      offset: validUpTo,
      reason: `unexpected end of file (${size - validUpTo} bytes after the last complete command)`,
      hint: `${repairHint(manifestPath)}, or set aof-load-truncated yes`,
    });
  }
}

// The library a `FUNCTION LOAD [REPLACE] <code>` command loads, or undefined for any other command.
function functionLoadLibrary(argv: readonly string[]): string | undefined {
  if ((argv[0] ?? "").toLowerCase() !== "function" || (argv[1] ?? "").toLowerCase() !== "load") return undefined;
  const code = argv[argv.length - 1];
  return code === undefined || argv.length < 3 ? undefined : functionLibraryName(code);
}
