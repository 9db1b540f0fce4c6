// The directive table: redis.conf name → settings field, value syntax, and whether CONFIG SET may
// change it. One table drives the config file, the command line, CONFIG GET and CONFIG SET.
import type { SavePoint, ServerSettings } from "./settings.ts";

/** How a directive's arguments are parsed and printed. */
export type DirectiveKind =
  | { readonly type: "bool" }
  | { readonly type: "int"; readonly min: number; readonly max: number }
  | { readonly type: "memory"; readonly min: number; readonly max: number }
  | { readonly type: "string" }
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "save" }
  | { readonly type: "list" };

/** One directive the engine implements. */
export interface DirectiveSpec {
  readonly name: string;
  readonly field: keyof ServerSettings;
  readonly kind: DirectiveKind;
  /** True when CONFIG SET refuses it (needs a restart in Redis too). */
  readonly immutable?: boolean;
  readonly aliases?: readonly string[];
}

const BOOL = { type: "bool" } as const;
const STRING = { type: "string" } as const;
const INT_MAX = 2 ** 31 - 1;
const int = (min: number, max: number = INT_MAX): DirectiveKind => ({ type: "int", min, max });
const memory = (min: number, max: number = Number.MAX_SAFE_INTEGER): DirectiveKind => ({ type: "memory", min, max });
const oneOf = (...values: string[]): DirectiveKind => ({ type: "enum", values });

/** Every directive with an effect in the engine. */
export const DIRECTIVES: readonly DirectiveSpec[] = [
  { name: "port", field: "port", kind: int(0, 65535), immutable: true },
  { name: "bind", field: "bind", kind: { type: "list" }, immutable: true },
  { name: "dir", field: "dir", kind: STRING },
  { name: "requirepass", field: "requirepass", kind: STRING },
  { name: "databases", field: "databases", kind: int(1), immutable: true },
  { name: "loglevel", field: "loglevel", kind: oneOf("debug", "verbose", "notice", "warning", "nothing") },
  { name: "logfile", field: "logfile", kind: STRING, immutable: true },
  { name: "pidfile", field: "pidfile", kind: STRING, immutable: true },
  { name: "daemonize", field: "daemonize", kind: BOOL, immutable: true },
  { name: "protected-mode", field: "protectedMode", kind: BOOL },
  { name: "timeout", field: "timeout", kind: int(0) },
  { name: "tcp-keepalive", field: "tcpKeepalive", kind: int(0) },
  { name: "maxclients", field: "maxclients", kind: int(1) },
  { name: "hz", field: "hz", kind: int(1, 500) },
  { name: "proto-max-bulk-len", field: "protoMaxBulkLen", kind: memory(1024 * 1024) },
  { name: "client-query-buffer-limit", field: "clientQueryBufferLimit", kind: memory(1024 * 1024) },
  { name: "enable-debug-command", field: "enableDebugCommand", kind: oneOf("yes", "no", "local"), immutable: true },
  { name: "save", field: "save", kind: { type: "save" } },
  { name: "dbfilename", field: "dbfilename", kind: STRING },
  { name: "rdbcompression", field: "rdbcompression", kind: BOOL },
  { name: "rdbchecksum", field: "rdbchecksum", kind: BOOL, immutable: true },
  { name: "stop-writes-on-bgsave-error", field: "stopWritesOnBgsaveError", kind: BOOL },
  { name: "rdb-del-sync-files", field: "rdbDelSyncFiles", kind: BOOL },
  { name: "rdb-key-save-delay", field: "rdbKeySaveDelay", kind: int(-INT_MAX) },
  { name: "key-load-delay", field: "keyLoadDelay", kind: int(-INT_MAX) },
  { name: "appendonly", field: "appendonly", kind: BOOL },
  { name: "appendfsync", field: "appendfsync", kind: oneOf("always", "everysec", "no") },
  { name: "appenddirname", field: "appenddirname", kind: STRING, immutable: true },
  { name: "appendfilename", field: "appendfilename", kind: STRING, immutable: true },
  { name: "auto-aof-rewrite-percentage", field: "autoAofRewritePercentage", kind: int(0) },
  { name: "auto-aof-rewrite-min-size", field: "autoAofRewriteMinSize", kind: memory(0) },
  { name: "aof-use-rdb-preamble", field: "aofUseRdbPreamble", kind: BOOL },
  { name: "aof-load-truncated", field: "aofLoadTruncated", kind: BOOL },
  { name: "aof-timestamp-enabled", field: "aofTimestampEnabled", kind: BOOL },
  { name: "no-appendfsync-on-rewrite", field: "noAppendfsyncOnRewrite", kind: BOOL },
  { name: "aof-rewrite-incremental-fsync", field: "aofRewriteIncrementalFsync", kind: BOOL },
  { name: "hash-max-listpack-entries", field: "hashMaxListpackEntries", kind: int(0), aliases: ["hash-max-ziplist-entries"] },
  { name: "hash-max-listpack-value", field: "hashMaxListpackValue", kind: int(0), aliases: ["hash-max-ziplist-value"] },
  { name: "zset-max-listpack-entries", field: "zsetMaxListpackEntries", kind: int(0), aliases: ["zset-max-ziplist-entries"] },
  { name: "zset-max-listpack-value", field: "zsetMaxListpackValue", kind: int(0), aliases: ["zset-max-ziplist-value"] },
  { name: "set-max-intset-entries", field: "setMaxIntsetEntries", kind: int(0) },
  { name: "list-max-listpack-size", field: "listMaxListpackSize", kind: int(-5), aliases: ["list-max-ziplist-size"] },
  { name: "list-compress-depth", field: "listCompressDepth", kind: int(0) },
];

/**
 * Redis 7.0 directives the engine accepts and reports (CONFIG GET) but that have no effect here
 * (replication, cluster, memory policy, threading, ...), with Redis's default text.
 * Accepting them keeps any redis.conf that starts redis-server able to start persistlab-server.
 */
export const ACCEPTED_DIRECTIVES: Readonly<Record<string, string>> = {
  "tcp-backlog": "511",
  unixsocket: "",
  unixsocketperm: "0",
  supervised: "no",
  "always-show-logo": "no",
  "set-proc-title": "yes",
  "proc-title-template": "{title} {listen-addr} {server-mode}",
  "syslog-enabled": "no",
  "syslog-ident": "redis",
  "syslog-facility": "local0",
  "crash-log-enabled": "yes",
  "crash-memcheck-enabled": "yes",
  "sanitize-dump-payload": "no",
  "replica-serve-stale-data": "yes",
  "replica-read-only": "yes",
  "repl-diskless-sync": "yes",
  "repl-diskless-sync-delay": "5",
  "repl-diskless-load": "disabled",
  "repl-disable-tcp-nodelay": "no",
  "replica-priority": "100",
  "acllog-max-len": "128",
  maxmemory: "0",
  "maxmemory-policy": "noeviction",
  "maxmemory-samples": "5",
  "maxmemory-eviction-tenacity": "10",
  "lazyfree-lazy-eviction": "no",
  "lazyfree-lazy-expire": "no",
  "lazyfree-lazy-server-del": "no",
  "replica-lazy-flush": "no",
  "lazyfree-lazy-user-del": "no",
  "lazyfree-lazy-user-flush": "no",
  "io-threads": "1",
  "io-threads-do-reads": "no",
  "oom-score-adj": "no",
  "oom-score-adj-values": "0 200 800",
  "disable-thp": "yes",
  "lua-time-limit": "5000",
  "busy-reply-threshold": "5000",
  "cluster-enabled": "no",
  "slowlog-log-slower-than": "10000",
  "slowlog-max-len": "128",
  "latency-monitor-threshold": "0",
  "latency-tracking": "yes",
  "latency-tracking-info-percentiles": "50 99 99.9",
  "notify-keyspace-events": "",
  "stream-node-max-bytes": "4096",
  "stream-node-max-entries": "100",
  activerehashing: "yes",
  "client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  "dynamic-hz": "yes",
  "rdb-save-incremental-fsync": "yes",
  "lfu-log-factor": "10",
  "lfu-decay-time": "1",
  "jemalloc-bg-thread": "yes",
  "ignore-warnings": "",
  "enable-protected-configs": "no",
  "enable-module-command": "no",
  "active-expire-effort": "1",
  "hll-sparse-max-bytes": "3000",
  "activedefrag": "no",
  "shutdown-timeout": "10",
  "shutdown-on-sigint": "default",
  "shutdown-on-sigterm": "default",
  "min-replicas-to-write": "0",
  "min-replicas-max-lag": "10",
  "maxmemory-clients": "0",
  "tracking-table-max-keys": "1000000",
};

/** Lookup by name or alias (lowercase). */
export const DIRECTIVES_BY_NAME: ReadonlyMap<string, DirectiveSpec> = new Map(
  DIRECTIVES.flatMap((spec) => [[spec.name, spec] as const, ...(spec.aliases ?? []).map((alias) => [alias, spec] as const)]),
);

/** Parses `1gb`, `64mb`, `100k`, `4096` into bytes; null when malformed. */
export function parseMemory(text: string): number | null {
  const match = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (match === null) return null;
  const value = Number(match[1]);
  const unit = (match[2] ?? "").toLowerCase();
  const factor: Record<string, number> = { "": 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return value * (factor[unit] ?? 1);
}

/** Parses save rules ("900 1 300 10", or "" to disable); null when malformed. */
export function parseSave(args: readonly string[]): SavePoint[] | null {
  const words = args.flatMap((arg) => arg.split(/\s+/)).filter((word) => word !== "");
  if (words.length % 2 !== 0) return null;
  const points: SavePoint[] = [];
  for (let index = 0; index < words.length; index += 2) {
    const seconds = Number(words[index]);
    const changes = Number(words[index + 1]);
    if (!Number.isInteger(seconds) || !Number.isInteger(changes) || seconds < 1 || changes < 0) return null;
    points.push({ seconds, changes });
  }
  return points;
}

/** Applies one directive's arguments to settings; returns an error text, or null when applied. */
export function applyDirective(settings: ServerSettings, spec: DirectiveSpec, args: readonly string[]): string | null {
  const kind = spec.kind;
  const target = settings as unknown as Record<string, unknown>;
  if (kind.type === "save") {
    const points = parseSave(args);
    if (points === null) return "Invalid save parameters";
    target[spec.field] = points;
    return null;
  }
  if (kind.type === "list") {
    const words = args.flatMap((arg) => arg.split(/\s+/)).filter((word) => word !== "");
    if (words.length === 0) return "Too few arguments";
    target[spec.field] = words;
    return null;
  }
  if (args.length !== 1) return "wrong number of arguments";
  const text = args[0] as string;
  switch (kind.type) {
    case "bool": {
      const lower = text.toLowerCase();
      if (lower !== "yes" && lower !== "no") return "argument must be 'yes' or 'no'";
      target[spec.field] = lower === "yes";
      return null;
    }
    case "int":
    case "memory": {
      const value = kind.type === "int" ? (/^-?\d+$/.test(text) ? Number(text) : null) : parseMemory(text);
      if (value === null) return kind.type === "int" ? "argument couldn't be parsed into an integer" : "argument must be a memory value";
      if (value < kind.min || value > kind.max) return `argument must be between ${kind.min} and ${kind.max} inclusive`;
      target[spec.field] = value;
      return null;
    }
    case "enum": {
      const lower = text.toLowerCase();
      if (!kind.values.includes(lower)) return `argument(s) must be one of the following: ${kind.values.join(", ")}`;
      target[spec.field] = lower;
      return null;
    }
    case "string":
      target[spec.field] = text;
      return null;
  }
}

/** Formats a directive's current value as CONFIG GET prints it. */
export function formatDirective(settings: ServerSettings, spec: DirectiveSpec): string {
  const value = (settings as unknown as Record<string, unknown>)[spec.field];
  switch (spec.kind.type) {
    case "bool":
      return value === true ? "yes" : "no";
    case "save":
      return (value as SavePoint[]).map((point) => `${point.seconds} ${point.changes}`).join(" ");
    case "list":
      return (value as string[]).join(" ");
    default:
      return String(value);
  }
}
