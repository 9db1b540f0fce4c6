// Turns redis-server's command line and redis.conf files into ServerSettings:
// `persistlab-server [config-file|-] [--directive value ...]`, quoted arguments, `include`,
// `rename-command`, and Redis's FATAL CONFIG FILE ERROR naming the line for anything refused.
import { readFileSync, statSync, openSync, closeSync } from "node:fs";
import { resolve as resolvePath, dirname } from "node:path";
import { splitArgs } from "../util/split-args.ts";
import {
  ACCEPTED_DIRECTIVES,
  IGNORED_DEPRECATED_DIRECTIVES,
  applyInertDirective,
  findDirective,
  isEffective,
  isMultiArg,
  parseDirectiveValue,
  type AnyDirectiveSpec,
} from "./directives.ts";
import { createDefaultSettings, type SavePoint, type ServerSettings } from "./settings.ts";

/** A `rename-command <from> <to>` line (applied once the command table exists). */
export interface CommandRename {
  readonly from: string;
  /** "" removes the command. */
  readonly to: string;
  /** The config line, for a fatal error naming it. */
  readonly line: number;
  readonly text: string;
}

/** The result of reading the command line and config files. */
export interface LoadedConfig {
  readonly settings: ServerSettings;
  /** Values of accepted-but-inert directives (for CONFIG GET). */
  readonly accepted: Map<string, string>;
  /** Absolute path of the config file, if one was given (CONFIG REWRITE, INFO config_file). */
  readonly configFile: string | undefined;
  /** rename-command lines, in order. */
  readonly renames?: readonly CommandRename[];
  /** Inert directives (and user / loadmodule / module config lines) the config set: named in one startup warning. */
  readonly inertSet?: readonly string[];
}

/** A config error with Redis's fatal-error text; the server prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const MAX_INCLUDE_DEPTH = 16;

/** strerror() texts for the errno codes a path can hit. */
export const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EISDIR: "Is a directory",
  EROFS: "Read-only file system",
};

/** The strerror() text of a Node fs error. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return STRERROR[code] ?? (error instanceof Error ? error.message : String(error));
}

/** Checks that `path` is a directory the server could chdir into; returns strerror's text or null. */
export function checkDirectory(path: string): string | null {
  try {
    if (!statSync(path).isDirectory()) return STRERROR.ENOTDIR as string;
    return null;
  } catch (error) {
    return describeErrno(error);
  }
}

/** Mutable state of one load (several files and the command line). */
interface LoadState {
  readonly settings: ServerSettings;
  readonly accepted: Map<string, string>;
  readonly renames: CommandRename[];
  readonly inertSet: Set<string>;
  /** True once a `save` line was read: later ones append, as Redis's config file does. */
  saveSeen: boolean;
  /** The directory `dir` lines resolve against (Redis chdir()s as it reads them). */
  cwd: string;
}

/** Reads settings from redis-server style arguments (argv without node and script). */
export function loadConfig(
  argv: readonly string[],
  readStdin: () => string = () => readFileSync(0, "utf8"),
): LoadedConfig {
  const state: LoadState = {
    settings: createDefaultSettings(),
    accepted: new Map(Object.entries(ACCEPTED_DIRECTIVES)),
    renames: [],
    inertSet: new Set(),
    saveSeen: false,
    cwd: process.cwd(),
  };
  let configFile: string | undefined;
  let index = 0;
  const first = argv[0];
  if (first !== undefined && !first.startsWith("--")) {
    if (first === "-") {
      applyConfigLines(state, readStdin(), 0);
    } else {
      configFile = resolvePath(first);
      applyConfigLines(state, readConfigFile(configFile), 0, dirname(configFile));
    }
    index = 1;
  }
  // Command-line options become config lines: `--save 900 1 --port 7000` → "save 900 1\nport 7000".
  let line: string[] | null = null;
  const lines: string[][] = [];
  for (; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg.startsWith("--") && arg.length > 2 && !/^--\d/.test(arg)) {
      if (line !== null) lines.push(line);
      line = [arg.slice(2)];
    } else if (line === null) {
      throw new ConfigError(
        fatal(0, arg, `Invalid argument '${arg}': options must start with '--' after the config file`),
      );
    } else {
      line.push(arg);
    }
  }
  if (line !== null) lines.push(line);
  applyConfigLines(state, lines.map(([name, ...values]) => [name, ...values.map(quoteArg)].join(" ")).join("\n"), 0);
  // A relative log file is opened from the final dir, as after Redis's chdir().
  checkLogfile(state.settings.logfile === "" ? "" : resolvePath(state.cwd, state.settings.logfile));
  return {
    settings: state.settings,
    accepted: state.accepted,
    configFile,
    renames: state.renames,
    inertSet: [...state.inertSet],
  };
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${describeErrno(error)}`);
  }
}

// As Redis: a logfile the server cannot open stops it before anything else happens.
function checkLogfile(logfile: string): void {
  if (logfile === "") return;
  try {
    closeSync(openSync(logfile, "a"));
  } catch (error) {
    throw new ConfigError(fatal(null, "", `Can't open the log file: ${describeErrno(error)}`));
  }
}

/** Applies config text (redis.conf syntax) to settings; throws ConfigError naming the line. */
export function applyConfigText(settings: ServerSettings, accepted: Map<string, string>, text: string): void {
  applyConfigLines(
    { settings, accepted, renames: [], inertSet: new Set(), saveSeen: false, cwd: process.cwd() },
    text,
    0,
  );
}

function applyConfigLines(state: LoadState, text: string, depth: number, baseDir = state.cwd): void {
  const lines = text.split("\n");
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex += 1) {
    const raw = (lines[lineIndex] as string).trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const words = splitArgs(raw);
    if (words === null) throw new ConfigError(fatal(lineIndex + 1, raw, "Unbalanced quotes in configuration line"));
    if (words.length === 0) continue;
    const problem = applyLine(state, words, depth, baseDir);
    if (problem !== null) throw new ConfigError(fatal(lineIndex + 1, raw, problem));
    if (words[0]?.toLowerCase() === "rename-command") {
      state.renames.push({ from: words[1] as string, to: words[2] as string, line: lineIndex + 1, text: raw });
    }
  }
}

// One config line; returns Redis's error text, or null.
function applyLine(state: LoadState, words: string[], depth: number, baseDir: string): string | null {
  const name = (words[0] as string).toLowerCase();
  const args = words.slice(1);
  const spec = findDirective(name);
  if (spec !== undefined) return applyTableDirective(state, spec, args);
  const deprecatedArgs = IGNORED_DEPRECATED_DIRECTIVES[name];
  if (deprecatedArgs !== undefined && args.length === deprecatedArgs) return null;
  if (name === "include" && args.length === 1) {
    if (depth >= MAX_INCLUDE_DEPTH) return "Too many nested includes";
    const path = resolvePath(baseDir, args[0] as string);
    applyConfigLines(state, readConfigFile(path), depth + 1, dirname(path));
    return null;
  }
  if (name === "rename-command" && args.length === 2) return null; // recorded by the caller, applied at boot
  if (name === "user" && args.length >= 1) {
    state.inertSet.add("user");
    return null;
  }
  if (name === "loadmodule" && args.length >= 1) {
    state.inertSet.add(`loadmodule ${args[0] as string}`);
    return null;
  }
  if (name.includes(".")) {
    if (args.length < 1) return "Module config specified without value";
    state.inertSet.add(name);
    state.accepted.set(name, args.join(" "));
    return null;
  }
  if (name === "sentinel") {
    return args.length === 0
      ? "persistlab-server has no sentinel mode"
      : "sentinel directive while not in sentinel mode";
  }
  return `Bad directive or wrong number of arguments ('${name}' is not a Redis 7.0 directive: check the spelling or remove it)`;
}

function applyTableDirective(state: LoadState, spec: AnyDirectiveSpec, args: string[]): string | null {
  if (!isMultiArg(spec.kind) && args.length !== 1) return "wrong number of arguments";
  // As Redis: a multi-word directive given as one quoted argument is split ("--save '900 1 300 10'").
  let words = args;
  if (isMultiArg(spec.kind) && args.length === 1 && args[0] !== "") words = splitArgs(args[0] as string) ?? args;
  if (!isEffective(spec)) {
    if (spec.area !== "honoured") state.inertSet.add(spec.name);
    return applyInertDirective(state.accepted, spec, words);
  }
  const parsed = parseDirectiveValue(spec, words);
  if (!parsed.ok) return parsed.error;
  const target = state.settings as unknown as Record<string, unknown>;
  switch (spec.field) {
    case "save": {
      // The first save line replaces the defaults, later ones add rules (save "" clears them).
      const points = parsed.value as SavePoint[];
      target.save = state.saveSeen && points.length > 0 ? [...state.settings.save, ...points] : points;
      state.saveSeen = true;
      return null;
    }
    case "dir": {
      // Redis chdir()s here, so a missing directory stops the start with strerror's text.
      const path = resolvePath(state.cwd, parsed.value as string);
      const problem = checkDirectory(path);
      if (problem !== null) return problem;
      state.cwd = path;
      target.dir = path;
      return null;
    }
    case "hz":
      target.hz = Math.min(500, Math.max(1, parsed.value as number));
      return null;
    default:
      target[spec.field] = parsed.value;
      return null;
  }
}

// Redis's fatal config error layout.
function fatal(line: number | null, text: string, reason: string): string {
  const where = line === null ? "" : `Reading the configuration file, at line ${line}\n>>> '${text}'\n`;
  return `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15, persistlab-server) ***\n${where}${reason}`;
}

/** Formats the fatal error for a config line refused after loading (rename-command). */
export function fatalConfigLine(line: number, text: string, reason: string): string {
  return fatal(line, text, reason);
}

// Quotes one command-line argument as Redis's sdscatrepr() does, so splitArgs gives it back
// unchanged and a refused line reads as Redis prints it (`dir "/does/not/exist"`).
function quoteArg(arg: string): string {
  let out = '"';
  for (const char of arg) {
    const code = char.charCodeAt(0);
    if (char === "\\" || char === '"') out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code < 32 || code === 127 || code > 255)
      out += code > 255 ? char : `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return out + '"';
}
