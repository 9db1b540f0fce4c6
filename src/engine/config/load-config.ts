// Turns redis-server's command line and redis.conf files into ServerSettings:
// `persistlab-server [config-file|-] [--directive value ...]`, quoted arguments, `include`,
// and a FATAL CONFIG FILE ERROR naming the line for anything the engine does not understand.
import { readFileSync } from "node:fs";
import { resolve as resolvePath, dirname } from "node:path";
import { splitArgs } from "../resp/parser.ts";
import { ACCEPTED_DIRECTIVES, DIRECTIVES_BY_NAME, applyDirective } from "./directives.ts";
import { createDefaultSettings, type ServerSettings } from "./settings.ts";

/** The result of reading the command line and config files. */
export interface LoadedConfig {
  readonly settings: ServerSettings;
  /** Values of accepted-but-inert directives (for CONFIG GET). */
  readonly accepted: Map<string, string>;
  /** Absolute path of the config file, if one was given (CONFIG REWRITE, INFO config_file). */
  readonly configFile: string | undefined;
}

/** A config error with Redis's fatal-error text; the server prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const MAX_INCLUDE_DEPTH = 16;

/** Reads settings from redis-server style arguments (argv without node and script). */
export function loadConfig(argv: readonly string[], readStdin: () => string = () => readFileSync(0, "utf8")): LoadedConfig {
  const settings = createDefaultSettings();
  const accepted = new Map(Object.entries(ACCEPTED_DIRECTIVES));
  let configFile: string | undefined;
  let index = 0;
  let text = "";
  const first = argv[0];
  if (first !== undefined && !first.startsWith("--")) {
    if (first === "-") {
      text += readStdin() + "\n";
    } else {
      configFile = resolvePath(first);
      text += readConfigFile(configFile, 0) + "\n";
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
      throw new ConfigError(fatal(0, arg, `Invalid argument '${arg}': options must start with '--' after the config file`));
    } else {
      line.push(arg);
    }
  }
  if (line !== null) lines.push(line);
  for (const words of lines) {
    text += words.map(quoteArg).join(" ") + "\n";
  }
  applyConfigText(settings, accepted, text);
  return { settings, accepted, configFile };
}

// Inlines `include` directives recursively.
function readConfigFile(path: string, depth: number): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new ConfigError(`Fatal error, too many nested includes at ${path}`);
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return content
    .split("\n")
    .map((line) => {
      const words = splitArgs(line.trim());
      if (words !== null && words[0]?.toLowerCase() === "include" && words.length === 2) {
        return readConfigFile(resolvePath(dirname(path), words[1] as string), depth + 1);
      }
      return line;
    })
    .join("\n");
}

/** Applies config text (redis.conf syntax) to settings; throws ConfigError naming the line. */
export function applyConfigText(settings: ServerSettings, accepted: Map<string, string>, text: string): void {
  const lines = text.split("\n");
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex += 1) {
    const raw = (lines[lineIndex] as string).trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const words = splitArgs(raw);
    if (words === null) throw new ConfigError(fatal(lineIndex + 1, raw, "Unbalanced quotes in configuration line"));
    if (words.length === 0) continue;
    const name = (words[0] as string).toLowerCase();
    const args = words.slice(1);
    const spec = DIRECTIVES_BY_NAME.get(name);
    if (spec !== undefined) {
      const problem = applyDirective(settings, spec, args);
      if (problem !== null) throw new ConfigError(fatal(lineIndex + 1, raw, `${problem} (directive '${spec.name}')`));
    } else if (name in ACCEPTED_DIRECTIVES) {
      accepted.set(name, args.join(" "));
    } else if (name === "include") {
      throw new ConfigError(fatal(lineIndex + 1, raw, "include needs exactly one file name"));
    } else {
      throw new ConfigError(
        fatal(lineIndex + 1, raw, `Bad directive or wrong number of arguments: '${name}' is not a directive persistlab-server knows. Check the spelling, or remove it.`),
      );
    }
  }
}

// Redis's fatal config error layout.
function fatal(line: number, text: string, reason: string): string {
  return `\n*** FATAL CONFIG FILE ERROR (persistlab-server, Redis 7.0 compatible) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}`;
}

// Quotes one argument so splitArgs gives it back unchanged (empty strings included).
function quoteArg(arg: string): string {
  if (arg !== "" && !/[\s"'\\]/.test(arg)) return arg;
  return '"' + arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
}
