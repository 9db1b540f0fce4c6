// The directive table: every Redis 7.0 directive, its value syntax and flags. Directives with an
// effect in the engine map to a ServerSettings field (DIRECTIVES); the rest (replication, cluster,
// TLS, ...) are validated the same way and kept as text (INERT_DIRECTIVES in inert-directives.ts).
// One table drives the config file, the command line, CONFIG GET/SET/REWRITE and the harness's checks.
import type { SavePoint, ServerSettings } from "./settings.ts";
import {
  INT_MAX,
  INT_MIN,
  LONG_MAX,
  UINT_MAX,
  ULLONG_MAX,
  formatMemoryOrPercent,
  isBaseName,
  parseEnumValue,
  parseFlagsValue,
  parseIntegerValue,
  parseKeyspaceEvents,
  parseMemoryBytes,
  parseMemoryOrPercentValue,
  parseMemoryValue,
  parseOctalValue,
  parseOomScoreAdjValues,
  parseOutputBufferLimits,
  parsePercentiles,
  parseReplicaOf,
  parseYesNo,
  type Parsed,
} from "./directive-values.ts";
import type { DirectiveFlags, DirectiveKind } from "./directive-types.ts";
import { INERT_DIRECTIVES, type InertDirectiveSpec } from "./inert-directives.ts";

export type { DirectiveFlags, DirectiveKind, SpecialForm } from "./directive-types.ts";

export { INERT_DIRECTIVES, type InertDirectiveSpec, type InertArea } from "./inert-directives.ts";

/** One directive the engine implements. */
export interface DirectiveSpec extends DirectiveFlags {
  readonly field: keyof ServerSettings;
}

/** Either table's entry. */
export type AnyDirectiveSpec = DirectiveSpec | InertDirectiveSpec;

const BOOL = { type: "bool" } as const;
const STRING = { type: "string" } as const;
const int = (min: number, max: number = INT_MAX): DirectiveKind => ({ type: "int", min, max });
const memory = (min: number, max: number = LONG_MAX): DirectiveKind => ({ type: "memory", min, max });
const oneOf = (...values: string[]): DirectiveKind => ({ type: "enum", values });

/** no / yes / local (enable-debug-command, enable-protected-configs, enable-module-command). */
export const PROTECTED_ACTION_VALUES = ["no", "yes", "local"] as const;

/** maxmemory-policy values, in Redis's order. */
export const MAXMEMORY_POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
] as const;

const baseName =
  (name: string, allowEmpty: boolean, what: "filename" | "dirname"): ((text: string) => string | null) =>
  (text) => {
    if (!allowEmpty && text === "") return `${name} can't be empty`;
    return isBaseName(text) ? null : `${name} can't be a path, just a ${what}`;
  };

/** Every directive with an effect in the engine. */
export const DIRECTIVES: readonly DirectiveSpec[] = [
  { name: "port", field: "port", kind: int(0, 65535), immutable: true },
  { name: "bind", field: "bind", kind: { type: "list" }, immutable: true },
  { name: "dir", field: "dir", kind: STRING, protected: true, denyLoading: true },
  { name: "requirepass", field: "requirepass", kind: STRING, sensitive: true },
  { name: "databases", field: "databases", kind: int(1), immutable: true },
  { name: "loglevel", field: "loglevel", kind: oneOf("debug", "verbose", "notice", "warning") },
  { name: "logfile", field: "logfile", kind: STRING, immutable: true },
  { name: "pidfile", field: "pidfile", kind: STRING, immutable: true },
  { name: "daemonize", field: "daemonize", kind: BOOL, immutable: true },
  { name: "protected-mode", field: "protectedMode", kind: BOOL },
  { name: "timeout", field: "timeout", kind: int(0) },
  { name: "tcp-keepalive", field: "tcpKeepalive", kind: int(0) },
  { name: "maxclients", field: "maxclients", kind: int(1, UINT_MAX) },
  { name: "hz", field: "hz", kind: int(0) },
  { name: "proto-max-bulk-len", field: "protoMaxBulkLen", kind: memory(1024 * 1024) },
  { name: "client-query-buffer-limit", field: "clientQueryBufferLimit", kind: memory(1024 * 1024) },
  {
    name: "enable-debug-command",
    field: "enableDebugCommand",
    kind: oneOf(...PROTECTED_ACTION_VALUES),
    immutable: true,
  },
  {
    name: "enable-protected-configs",
    field: "enableProtectedConfigs",
    kind: oneOf(...PROTECTED_ACTION_VALUES),
    immutable: true,
  },
  {
    name: "enable-module-command",
    field: "enableModuleCommand",
    kind: oneOf(...PROTECTED_ACTION_VALUES),
    immutable: true,
  },
  { name: "maxmemory", field: "maxmemory", kind: memory(0, ULLONG_MAX) },
  { name: "maxmemory-policy", field: "maxmemoryPolicy", kind: oneOf(...MAXMEMORY_POLICIES) },
  { name: "maxmemory-samples", field: "maxmemorySamples", kind: int(1) },
  { name: "save", field: "save", kind: { type: "save" } },
  {
    name: "dbfilename",
    field: "dbfilename",
    kind: STRING,
    protected: true,
    checkValue: baseName("dbfilename", true, "filename"),
  },
  { name: "rdbcompression", field: "rdbcompression", kind: BOOL },
  { name: "rdbchecksum", field: "rdbchecksum", kind: BOOL, immutable: true },
  { name: "stop-writes-on-bgsave-error", field: "stopWritesOnBgsaveError", kind: BOOL },
  { name: "rdb-del-sync-files", field: "rdbDelSyncFiles", kind: BOOL },
  { name: "rdb-key-save-delay", field: "rdbKeySaveDelay", kind: int(INT_MIN), hidden: true },
  { name: "key-load-delay", field: "keyLoadDelay", kind: int(INT_MIN), hidden: true },
  { name: "appendonly", field: "appendonly", kind: BOOL, denyLoading: true },
  { name: "appendfsync", field: "appendfsync", kind: oneOf("everysec", "always", "no") },
  {
    name: "appenddirname",
    field: "appenddirname",
    kind: STRING,
    immutable: true,
    checkValue: baseName("appenddirname", false, "dirname"),
  },
  {
    name: "appendfilename",
    field: "appendfilename",
    kind: STRING,
    immutable: true,
    checkValue: baseName("appendfilename", false, "filename"),
  },
  { name: "auto-aof-rewrite-percentage", field: "autoAofRewritePercentage", kind: int(0) },
  { name: "auto-aof-rewrite-min-size", field: "autoAofRewriteMinSize", kind: memory(0) },
  { name: "aof-use-rdb-preamble", field: "aofUseRdbPreamble", kind: BOOL },
  { name: "aof-load-truncated", field: "aofLoadTruncated", kind: BOOL },
  { name: "aof-timestamp-enabled", field: "aofTimestampEnabled", kind: BOOL },
  { name: "no-appendfsync-on-rewrite", field: "noAppendfsyncOnRewrite", kind: BOOL },
  { name: "aof-rewrite-incremental-fsync", field: "aofRewriteIncrementalFsync", kind: BOOL },
  {
    name: "hash-max-listpack-entries",
    field: "hashMaxListpackEntries",
    kind: int(0, LONG_MAX),
    aliases: ["hash-max-ziplist-entries"],
  },
  {
    name: "hash-max-listpack-value",
    field: "hashMaxListpackValue",
    kind: memory(0),
    aliases: ["hash-max-ziplist-value"],
  },
  {
    name: "zset-max-listpack-entries",
    field: "zsetMaxListpackEntries",
    kind: int(0, LONG_MAX),
    aliases: ["zset-max-ziplist-entries"],
  },
  {
    name: "zset-max-listpack-value",
    field: "zsetMaxListpackValue",
    kind: memory(0),
    aliases: ["zset-max-ziplist-value"],
  },
  { name: "set-max-intset-entries", field: "setMaxIntsetEntries", kind: int(0, LONG_MAX) },
  {
    name: "list-max-listpack-size",
    field: "listMaxListpackSize",
    kind: int(INT_MIN),
    aliases: ["list-max-ziplist-size"],
  },
  { name: "list-compress-depth", field: "listCompressDepth", kind: int(0) },
];

/**
 * Redis 7.0 directives the engine accepts and reports (CONFIG GET) but that have no effect here,
 * with Redis's default text (derived from INERT_DIRECTIVES; kept for existing callers).
 */
export const ACCEPTED_DIRECTIVES: Readonly<Record<string, string>> = Object.fromEntries(
  INERT_DIRECTIVES.map((spec) => [spec.name, spec.defaultValue]),
);

/**
 * Names Redis 7.0 still accepts in a config file and ignores (deprecated_configs in config.c), with
 * the argument count they take there.
 */
export const IGNORED_DEPRECATED_DIRECTIVES: Readonly<Record<string, number>> = {
  "list-max-ziplist-entries": 1,
  "list-max-ziplist-value": 1,
  "lua-replicate-commands": 1,
};

/** Lookup by name or alias (lowercase). */
export const DIRECTIVES_BY_NAME: ReadonlyMap<string, DirectiveSpec> = new Map(
  DIRECTIVES.flatMap((spec) => [
    [spec.name, spec] as const,
    ...(spec.aliases ?? []).map((alias) => [alias, spec] as const),
  ]),
);

/** Lookup of inert directives by name or alias (lowercase). */
export const INERT_DIRECTIVES_BY_NAME: ReadonlyMap<string, InertDirectiveSpec> = new Map(
  INERT_DIRECTIVES.flatMap((spec) => [
    [spec.name, spec] as const,
    ...(spec.aliases ?? []).map((alias) => [alias, spec] as const),
  ]),
);

/** Finds a directive of either table by name or alias (any case). */
export function findDirective(name: string): AnyDirectiveSpec | undefined {
  const lower = name.toLowerCase();
  return DIRECTIVES_BY_NAME.get(lower) ?? INERT_DIRECTIVES_BY_NAME.get(lower);
}

/** True for a directive with an effect in the engine. */
export function isEffective(spec: AnyDirectiveSpec): spec is DirectiveSpec {
  return "field" in spec;
}

/** Every name and alias of both tables (CONFIG GET's glob space). */
export function allDirectiveNames(): { name: string; spec: AnyDirectiveSpec }[] {
  const out: { name: string; spec: AnyDirectiveSpec }[] = [];
  for (const spec of [...DIRECTIVES, ...INERT_DIRECTIVES]) {
    out.push({ name: spec.name, spec });
    for (const alias of spec.aliases ?? []) out.push({ name: alias, spec });
  }
  return out;
}

/** True when the kind takes several words (Redis's MULTI_ARG_CONFIG). */
export function isMultiArg(kind: DirectiveKind): boolean {
  return (
    kind.type === "save" ||
    kind.type === "list" ||
    kind.type === "flags" ||
    (kind.type === "special" && kind.form !== "notify-keyspace-events")
  );
}

/** Parses `1gb`, `64mb`, `100k`, `4096` into bytes as Redis's memtoull does; null when malformed. */
export function parseMemory(text: string): number | null {
  const value = parseMemoryBytes(text.trim());
  return value === null ? null : Number(value);
}

/** Parses save rules ("900 1 300 10", or "" to disable); null when malformed. */
export function parseSave(args: readonly string[]): SavePoint[] | null {
  const words =
    args.length === 1 && args[0] === "" ? [] : args.flatMap((arg) => arg.split(/\s+/)).filter((word) => word !== "");
  if (words.length % 2 !== 0) return null;
  const points: SavePoint[] = [];
  for (let index = 0; index < words.length; index += 2) {
    const seconds = /^[-+]?\d+$/.test(words[index] as string) ? Number(words[index]) : Number.NaN;
    const changes = /^[-+]?\d+$/.test(words[index + 1] as string) ? Number(words[index + 1]) : Number.NaN;
    if (!Number.isInteger(seconds) || !Number.isInteger(changes) || seconds < 1 || changes < 0) return null;
    points.push({ seconds, changes });
  }
  return points;
}

/**
 * Parses a directive's words (already split as Redis splits them) into its typed value: number for
 * int/memory/octal/memory-or-percent, boolean, string (enum, flags, special forms), string[] (list),
 * SavePoint[] (save). `current` is the directive's current text (client-output-buffer-limit merges).
 */
export function parseDirectiveValue(spec: DirectiveFlags, words: readonly string[], current = ""): Parsed<unknown> {
  const kind = spec.kind;
  if (!isMultiArg(kind) && words.length !== 1) return { ok: false, error: "wrong number of arguments" };
  const text = words[0] ?? "";
  const numeric = (parsed: Parsed<bigint>): Parsed<unknown> =>
    parsed.ok ? { ok: true, value: Number(parsed.value) } : parsed;
  switch (kind.type) {
    case "bool":
      return parseYesNo(text);
    case "int":
      return numeric(parseIntegerValue(text, kind.min, kind.max));
    case "memory":
      return numeric(parseMemoryValue(text, kind.min, kind.max));
    case "octal":
      return numeric(parseOctalValue(text, kind.min, kind.max));
    case "memory-or-percent":
      return numeric(parseMemoryOrPercentValue(text, kind.min, kind.max));
    case "string": {
      const problem = spec.checkValue?.(text) ?? null;
      return problem === null ? { ok: true, value: text } : { ok: false, error: problem };
    }
    case "enum":
      return parseEnumValue(text, kind.values, kind.synonyms);
    case "flags":
      return parseFlagsValue(words, kind.values, kind.none);
    case "save": {
      const points = parseSave(words);
      return points === null ? { ok: false, error: "Invalid save parameters" } : { ok: true, value: points };
    }
    case "list": {
      const addresses = words.length === 1 && words[0] === "" ? [] : [...words];
      if (addresses.length > 16) return { ok: false, error: "Too many bind addresses specified." };
      return { ok: true, value: addresses };
    }
    case "special":
      switch (kind.form) {
        case "client-output-buffer-limit":
          return parseOutputBufferLimits(words, current);
        case "oom-score-adj-values":
          return parseOomScoreAdjValues(words);
        case "notify-keyspace-events":
          return parseKeyspaceEvents(words);
        case "replicaof":
          return parseReplicaOf(words);
        case "latency-tracking-info-percentiles":
          return parsePercentiles(words);
      }
  }
}

/** Prints a parsed value as CONFIG GET shows it. */
export function formatDirectiveValue(kind: DirectiveKind, value: unknown): string {
  switch (kind.type) {
    case "bool":
      return value === true ? "yes" : "no";
    case "save":
      return (value as SavePoint[]).map((point) => `${point.seconds} ${point.changes}`).join(" ");
    case "list":
      return (value as string[]).join(" ");
    case "octal":
      return (value as number).toString(8);
    case "memory-or-percent":
      return formatMemoryOrPercent(value as number);
    case "int":
    case "memory":
      return typeof value === "number" && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value);
    default:
      return String(value);
  }
}

/** Applies one directive's arguments to settings; returns an error text, or null when applied. */
export function applyDirective(settings: ServerSettings, spec: DirectiveSpec, args: readonly string[]): string | null {
  const parsed = parseDirectiveValue(spec, args);
  if (!parsed.ok) return parsed.error;
  let value = parsed.value;
  // Like Redis's updateHZ: hz outside [1, 500] is clamped.
  if (spec.field === "hz") value = Math.min(500, Math.max(1, value as number));
  (settings as unknown as Record<string, unknown>)[spec.field] = value;
  return null;
}

/** Validates an inert directive's arguments and returns its canonical text (what CONFIG GET shows). */
export function applyInertDirective(
  accepted: Map<string, string>,
  spec: InertDirectiveSpec,
  args: readonly string[],
): string | null {
  const parsed = parseDirectiveValue(spec, args, accepted.get(spec.name) ?? spec.defaultValue);
  if (!parsed.ok) return parsed.error;
  accepted.set(spec.name, formatDirectiveValue(spec.kind, parsed.value));
  return null;
}

/** Formats a directive's current value as CONFIG GET prints it. */
export function formatDirective(settings: ServerSettings, spec: DirectiveSpec): string {
  return formatDirectiveValue(spec.kind, (settings as unknown as Record<string, unknown>)[spec.field]);
}

/** The current text of a directive of either table. */
export function currentDirectiveText(
  settings: ServerSettings,
  accepted: ReadonlyMap<string, string>,
  spec: AnyDirectiveSpec,
): string {
  return isEffective(spec) ? formatDirective(settings, spec) : (accepted.get(spec.name) ?? spec.defaultValue);
}
