// Redis 7.0 directives with no effect in this engine (replication, cluster, TLS, threads, ...):
// accepted in a config file, on the command line and by CONFIG SET with Redis's validation, kept as
// text for CONFIG GET, and named in one startup warning when a config sets them. Names, kinds,
// defaults and flags follow Redis 7.0.15's config.c table.
import { INT_MAX, LONG_MAX, UINT_MAX, ULLONG_MAX, DEFAULT_OUTPUT_BUFFER_LIMITS } from "./directive-values.ts";
import type { DirectiveFlags, DirectiveKind } from "./directive-types.ts";

/** What an inert directive belongs to (the startup warning groups by it). */
export type InertArea =
  | "replication"
  | "cluster"
  | "tls"
  | "acl"
  | "threads"
  | "process"
  | "memory"
  | "lazyfree"
  | "defrag"
  | "monitoring"
  | "keyspace-events"
  | "encoding"
  | "network"
  | "shutdown"
  | "scripting"
  /** Read by the engine from the accepted text (no warning). */
  | "honoured";

/** One directive the engine accepts without acting on it. */
export interface InertDirectiveSpec extends DirectiveFlags {
  /** Redis's default, as CONFIG GET prints it. */
  readonly defaultValue: string;
  readonly area: InertArea;
}

const BOOL = { type: "bool" } as const;
const STRING = { type: "string" } as const;
const int = (min: number, max: number = INT_MAX): DirectiveKind => ({ type: "int", min, max });
const memory = (min: number, max: number = LONG_MAX): DirectiveKind => ({ type: "memory", min, max });
const oneOf = (...values: string[]): DirectiveKind => ({ type: "enum", values });
const special = (form: Extract<DirectiveKind, { type: "special" }>["form"]): DirectiveKind => ({
  type: "special",
  form,
});
const SHUTDOWN_FLAGS: DirectiveKind = {
  type: "flags",
  values: ["default", "save", "nosave", "now", "force"],
  none: "default",
};
const PROC_TITLE_VARIABLES = [
  "{title}",
  "{listen-addr}",
  "{server-mode}",
  "{port}",
  "{tls-port}",
  "{unixsocket}",
  "{config-file}",
];

type Extra = Omit<Partial<InertDirectiveSpec>, "name" | "kind" | "defaultValue" | "area">;
const inert = (
  name: string,
  kind: DirectiveKind,
  defaultValue: string,
  area: InertArea,
  extra: Extra = {},
): InertDirectiveSpec => ({
  name,
  kind,
  defaultValue,
  area,
  ...extra,
});

/** Every Redis 7.0 directive not in DIRECTIVES (directives.ts). */
export const INERT_DIRECTIVES: readonly InertDirectiveSpec[] = [
  // Process, logging, network
  inert("always-show-logo", BOOL, "no", "process", { immutable: true }),
  // Honoured: server/process-title.ts.
  inert("set-proc-title", BOOL, "yes", "honoured", { immutable: true }),
  inert("proc-title-template", STRING, "{title} {listen-addr} {server-mode}", "honoured", {
    checkValue: (text) => {
      const rest = PROC_TITLE_VARIABLES.reduce((left, variable) => left.split(variable).join(""), text);
      return /[{}]/.test(rest) || text.trim() === ""
        ? "template format is invalid or contains unknown variables"
        : null;
    },
  }),
  inert("supervised", oneOf("upstart", "systemd", "auto", "no"), "no", "process", { immutable: true }),
  inert("syslog-enabled", BOOL, "no", "process", { immutable: true }),
  inert("syslog-ident", STRING, "redis", "process", { immutable: true }),
  inert(
    "syslog-facility",
    oneOf("user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
    "local0",
    "process",
    { immutable: true },
  ),
  inert("crash-log-enabled", BOOL, "yes", "process"),
  inert("crash-memcheck-enabled", BOOL, "yes", "process"),
  inert("use-exit-on-panic", BOOL, "no", "process", { hidden: true }),
  inert("disable-thp", BOOL, "yes", "process", { immutable: true }),
  inert(
    "oom-score-adj",
    { type: "enum", values: ["no", "yes", "relative", "absolute"], synonyms: { relative: "yes" } },
    "no",
    "process",
  ),
  inert("oom-score-adj-values", special("oom-score-adj-values"), "0 200 800", "process"),
  inert("server_cpulist", STRING, "", "process", { immutable: true }),
  inert("bio_cpulist", STRING, "", "process", { immutable: true }),
  inert("aof_rewrite_cpulist", STRING, "", "process", { immutable: true }),
  inert("bgsave_cpulist", STRING, "", "process", { immutable: true }),
  inert("ignore-warnings", STRING, "", "process"),
  inert("watchdog-period", int(0), "0", "process", { hidden: true }),
  inert("jemalloc-bg-thread", BOOL, "yes", "memory"),
  inert("unixsocket", STRING, "", "network", { immutable: true }),
  inert("unixsocketperm", { type: "octal", min: 0, max: 0o777 }, "0", "network", { immutable: true }),
  inert("tcp-backlog", int(0), "511", "network", { immutable: true }),
  inert("socket-mark-id", int(0, UINT_MAX), "0", "network", { immutable: true }),
  inert("bind-source-addr", STRING, "", "network"),
  inert("client-output-buffer-limit", special("client-output-buffer-limit"), DEFAULT_OUTPUT_BUFFER_LIMITS, "network"),
  inert("maxmemory-clients", { type: "memory-or-percent", min: -100, max: LONG_MAX }, "0", "memory"),
  inert("io-threads", int(1, 128), "1", "threads", { immutable: true }),
  inert("io-threads-do-reads", BOOL, "no", "threads", { immutable: true }),
  inert("dynamic-hz", BOOL, "yes", "threads"),
  inert("activerehashing", BOOL, "yes", "encoding"),
  inert("active-expire-effort", int(1, 10), "1", "encoding"),
  inert("stream-node-max-bytes", memory(0), "4096", "honoured"),
  inert("stream-node-max-entries", int(0, LONG_MAX), "100", "honoured"),
  inert("hll-sparse-max-bytes", memory(0), "3000", "honoured"),
  inert("sanitize-dump-payload", oneOf("no", "yes", "clients"), "no", "encoding"),
  inert("rdb-save-incremental-fsync", BOOL, "yes", "honoured"),
  inert("aof-disable-auto-gc", BOOL, "no", "honoured"),
  inert("loading-process-events-interval-bytes", int(1024), "2097152", "honoured", { hidden: true }),
  // Memory policy (LFU parameters; maxmemory itself is in DIRECTIVES)
  inert("maxmemory-eviction-tenacity", int(0, 100), "10", "memory"),
  inert("lfu-log-factor", int(0), "10", "memory"),
  inert("lfu-decay-time", int(0), "1", "memory"),
  // Lazy freeing
  inert("lazyfree-lazy-eviction", BOOL, "no", "lazyfree"),
  inert("lazyfree-lazy-expire", BOOL, "no", "lazyfree"),
  inert("lazyfree-lazy-server-del", BOOL, "no", "lazyfree"),
  inert("lazyfree-lazy-user-del", BOOL, "no", "lazyfree"),
  inert("lazyfree-lazy-user-flush", BOOL, "no", "lazyfree"),
  // Active defragmentation
  inert("activedefrag", BOOL, "no", "defrag"),
  inert("active-defrag-ignore-bytes", memory(1), "104857600", "defrag"),
  inert("active-defrag-threshold-lower", int(0, 1000), "10", "defrag"),
  inert("active-defrag-threshold-upper", int(0, 1000), "100", "defrag"),
  inert("active-defrag-cycle-min", int(1, 99), "1", "defrag"),
  inert("active-defrag-cycle-max", int(1, 99), "25", "defrag"),
  inert("active-defrag-max-scan-fields", int(1, LONG_MAX), "1000", "defrag"),
  // Monitoring
  inert("slowlog-log-slower-than", int(-1, LONG_MAX), "10000", "honoured"),
  inert("slowlog-max-len", int(0, LONG_MAX), "128", "honoured"),
  inert("latency-monitor-threshold", int(0, LONG_MAX), "0", "honoured"),
  inert("latency-tracking", BOOL, "yes", "honoured"),
  inert("latency-tracking-info-percentiles", special("latency-tracking-info-percentiles"), "50 99 99.9", "monitoring"),
  inert("notify-keyspace-events", special("notify-keyspace-events"), "", "keyspace-events"),
  inert("tracking-table-max-keys", int(0, LONG_MAX), "1000000", "keyspace-events"),
  // Scripting
  inert("busy-reply-threshold", int(0, LONG_MAX), "5000", "scripting", { aliases: ["lua-time-limit"] }),
  // Shutdown
  inert("shutdown-timeout", int(0), "10", "shutdown"),
  inert("shutdown-on-sigint", SHUTDOWN_FLAGS, "default", "honoured"),
  inert("shutdown-on-sigterm", SHUTDOWN_FLAGS, "default", "honoured"),
  // ACL
  inert("aclfile", STRING, "", "acl", { immutable: true }),
  inert("acllog-max-len", int(0, LONG_MAX), "128", "acl"),
  inert("acl-pubsub-default", oneOf("allchannels", "resetchannels"), "resetchannels", "acl"),
  // Replication
  inert("replicaof", special("replicaof"), "", "replication", { immutable: true, aliases: ["slaveof"] }),
  inert("masterauth", STRING, "", "replication", { sensitive: true }),
  inert("masteruser", STRING, "", "replication", { sensitive: true }),
  inert("replica-serve-stale-data", BOOL, "yes", "replication", { aliases: ["slave-serve-stale-data"] }),
  inert("replica-read-only", BOOL, "yes", "replication", { aliases: ["slave-read-only"] }),
  inert("replica-lazy-flush", BOOL, "no", "replication", { aliases: ["slave-lazy-flush"] }),
  inert("replica-ignore-maxmemory", BOOL, "yes", "replication", { aliases: ["slave-ignore-maxmemory"] }),
  inert("replica-announced", BOOL, "yes", "replication"),
  inert("replica-ignore-disk-write-errors", BOOL, "no", "replication"),
  inert("replica-priority", int(0), "100", "replication", { aliases: ["slave-priority"] }),
  inert("replica-announce-ip", STRING, "", "replication", { aliases: ["slave-announce-ip"] }),
  inert("replica-announce-port", int(0, 65535), "0", "replication", { aliases: ["slave-announce-port"] }),
  inert("repl-diskless-sync", BOOL, "yes", "replication"),
  inert("repl-diskless-sync-delay", int(0), "5", "replication"),
  inert("repl-diskless-sync-max-replicas", int(0), "0", "replication"),
  inert("repl-diskless-load", oneOf("disabled", "on-empty-db", "swapdb"), "disabled", "replication", {
    denyLoading: true,
  }),
  inert("repl-disable-tcp-nodelay", BOOL, "no", "replication"),
  inert("repl-ping-replica-period", int(1), "10", "replication", { aliases: ["repl-ping-slave-period"] }),
  inert("repl-timeout", int(1), "60", "replication"),
  inert("repl-backlog-size", memory(1), "1048576", "replication"),
  inert("repl-backlog-ttl", int(0, LONG_MAX), "3600", "replication"),
  // Honoured: with no replicas, a minimum (and a max lag) refuses every write with NOREPLICAS.
  inert("min-replicas-to-write", int(0), "0", "honoured", { aliases: ["min-slaves-to-write"] }),
  inert("min-replicas-max-lag", int(0), "10", "honoured", { aliases: ["min-slaves-max-lag"] }),
  inert("propagation-error-behavior", oneOf("ignore", "panic", "panic-on-replicas"), "ignore", "replication"),
  // Cluster
  inert("cluster-enabled", BOOL, "no", "cluster", { immutable: true }),
  inert("cluster-config-file", STRING, "nodes.conf", "cluster", { immutable: true }),
  inert("cluster-port", int(0, 65535), "0", "cluster", { immutable: true }),
  inert("cluster-node-timeout", int(0, LONG_MAX), "15000", "cluster"),
  inert("cluster-replica-validity-factor", int(0), "10", "cluster", { aliases: ["cluster-slave-validity-factor"] }),
  inert("cluster-migration-barrier", int(0), "1", "cluster"),
  inert("cluster-require-full-coverage", BOOL, "yes", "cluster"),
  inert("cluster-replica-no-failover", BOOL, "no", "cluster", { aliases: ["cluster-slave-no-failover"] }),
  inert("cluster-allow-reads-when-down", BOOL, "no", "cluster"),
  inert("cluster-allow-pubsubshard-when-down", BOOL, "yes", "cluster"),
  inert("cluster-allow-replica-migration", BOOL, "yes", "cluster"),
  inert("cluster-announce-ip", STRING, "", "cluster"),
  inert("cluster-announce-hostname", STRING, "", "cluster", {
    checkValue: (text) =>
      text.length >= 256
        ? "Hostnames must be less than 256 characters"
        : /^[A-Za-z0-9.-]*$/.test(text)
          ? null
          : "Hostnames may only contain alphanumeric characters, hyphens or dots",
  }),
  inert("cluster-announce-port", int(0, 65535), "0", "cluster"),
  inert("cluster-announce-bus-port", int(0, 65535), "0", "cluster"),
  inert("cluster-announce-tls-port", int(0, 65535), "0", "cluster"),
  inert("cluster-preferred-endpoint-type", oneOf("ip", "hostname", "unknown-endpoint"), "ip", "cluster"),
  inert("cluster-link-sendbuf-limit", memory(0, ULLONG_MAX), "0", "cluster"),
  // TLS (Debian's redis-server is built with TLS)
  inert("tls-port", int(0, 65535), "0", "tls"),
  inert("tls-session-cache-size", int(0), "20480", "tls"),
  inert("tls-session-cache-timeout", int(0), "300", "tls"),
  inert("tls-cluster", BOOL, "no", "tls"),
  inert("tls-replication", BOOL, "no", "tls"),
  inert("tls-auth-clients", oneOf("no", "yes", "optional"), "yes", "tls"),
  inert("tls-prefer-server-ciphers", BOOL, "no", "tls"),
  inert("tls-session-caching", BOOL, "yes", "tls"),
  ...[
    "tls-cert-file",
    "tls-key-file",
    "tls-key-file-pass",
    "tls-client-cert-file",
    "tls-client-key-file",
    "tls-client-key-file-pass",
  ].map((name) => inert(name, STRING, "", "tls")),
  ...[
    "tls-dh-params-file",
    "tls-ca-cert-file",
    "tls-ca-cert-dir",
    "tls-protocols",
    "tls-ciphers",
    "tls-ciphersuites",
  ].map((name) => inert(name, STRING, "", "tls")),
];
