// INFO: the sections Redis 7.0 prints (server, clients, memory, persistence, stats, replication,
// cpu, modules, errorstats, cluster, keyspace, commandstats), as `# Section` blocks of `key:value`.
import { cpuUsage, memoryUsage } from "node:process";
import { totalmem } from "node:os";
import type { ServerContext } from "./server/context-types.ts";
import type { InfoField } from "./persistence/hooks.ts";
import { jobProcessesStarted } from "./persistence/job-process.ts";
import { migrateCachedSocketCount } from "./commands/migrate.ts";
import { errorStatsFields } from "./server/error-stats.ts";

const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "errorstats",
  "cluster",
  "keyspace",
];
const ALL_SECTIONS = [...DEFAULT_SECTIONS, "commandstats"];

/** Renders INFO for the requested sections ("default", "all", "everything" or names). */
export function renderInfo(context: ServerContext, requested: readonly string[]): string {
  const lower = requested.map((name) => name.toLowerCase());
  let sections: string[];
  if (lower.length === 0 || lower.includes("default")) sections = DEFAULT_SECTIONS;
  else if (lower.includes("all") || lower.includes("everything")) sections = ALL_SECTIONS;
  else sections = ALL_SECTIONS.filter((name) => lower.includes(name));
  const blocks: string[] = [];
  for (const section of sections) {
    const fields = SECTION_BUILDERS[section]?.(context) ?? [];
    const title = section === "cpu" ? "CPU" : section.charAt(0).toUpperCase() + section.slice(1);
    blocks.push(`# ${title}\r\n` + fields.map(([name, value]) => `${name}:${value}\r\n`).join(""));
  }
  return blocks.join("\r\n");
}

const SECTION_BUILDERS: Record<string, (context: ServerContext) => readonly InfoField[]> = {
  server: (context) => {
    const uptime = Math.floor((Date.now() - context.startedAtMs) / 1000);
    return [
      ["redis_version", "7.0.15"],
      ["redis_git_sha1", "00000000"],
      ["redis_git_dirty", 0],
      ["redis_build_id", "persistlab"],
      ["redis_mode", "standalone"],
      ["os", `${process.platform} ${process.arch}`],
      ["arch_bits", 64],
      ["monotonic_clock", "POSIX clock_gettime"],
      ["multiplexing_api", "epoll"],
      ["atomicvar_api", "c11-builtin"],
      ["gcc_version", "0.0.0"],
      ["process_id", process.pid],
      ["process_supervised", "no"],
      ["run_id", context.runId],
      ["tcp_port", context.boundPort],
      ["server_time_usec", Date.now() * 1000],
      ["uptime_in_seconds", uptime],
      ["uptime_in_days", Math.floor(uptime / 86400)],
      ["hz", context.settings.hz],
      ["configured_hz", context.settings.hz],
      ["lru_clock", Math.floor(Date.now() / 1000) & 0xffffff],
      ["executable", process.argv[1] ?? ""],
      ["config_file", context.configFile ?? ""],
      ["io_threads_active", 0],
      ["persistlab_engine", "persistlab-server"],
      [
        "persistlab_runtime",
        typeof (globalThis as { Deno?: unknown }).Deno === "undefined" ? `node ${process.version}` : "deno",
      ],
    ];
  },
  clients: (context) => [
    ["connected_clients", context.clients.size],
    ["cluster_connections", 0],
    ["maxclients", context.settings.maxclients],
    ["client_recent_max_input_buffer", 0],
    ["client_recent_max_output_buffer", 0],
    ["blocked_clients", context.blocking.blockedCount],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", context.blocking.withTimeoutCount],
  ],
  memory: (context) => {
    const usage = memoryUsage();
    const human = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)}M`;
    return [
      ["used_memory", usage.heapUsed + usage.external],
      ["used_memory_human", human(usage.heapUsed + usage.external)],
      ["used_memory_rss", usage.rss],
      ["used_memory_rss_human", human(usage.rss)],
      ["used_memory_peak", usage.heapTotal],
      ["total_system_memory", totalmem()],
      ["maxmemory", context.settings.maxmemory],
      ["maxmemory_human", human(context.settings.maxmemory)],
      ["maxmemory_policy", context.settings.maxmemoryPolicy],
      // What maxmemory compares against (see docs/engine.md): Redis's empty-server baseline plus the
      // data set's estimated bytes; 0 while maxmemory is off (not tracked then).
      ["used_memory_for_maxmemory", context.keyspace.memory.isActive ? context.keyspace.memory.usedBytes() : 0],
      ["mem_allocator", "v8"],
    ];
  },
  persistence: (context) => context.persistence.info(),
  stats: (context) => {
    const stats = context.stats;
    return [
      ["total_connections_received", stats.totalConnectionsReceived],
      ["total_commands_processed", stats.totalCommandsProcessed],
      ["instantaneous_ops_per_sec", 0],
      ["total_net_input_bytes", stats.totalNetInputBytes],
      ["total_net_output_bytes", stats.totalNetOutputBytes],
      ["rejected_connections", stats.rejectedConnections],
      ["expired_keys", context.keyspace.expiredKeys],
      ["evicted_keys", stats.evictedKeys],
      ["keyspace_hits", stats.keyspaceHits],
      ["keyspace_misses", stats.keyspaceMisses],
      ["latest_fork_usec", 0],
      ["total_forks", jobProcessesStarted()],
      ["migrate_cached_sockets", migrateCachedSocketCount(context)],
      ["total_error_replies", stats.totalErrorReplies],
    ];
  },
  replication: () => [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", "0000000000000000000000000000000000000000"],
    ["master_repl_offset", 0],
  ],
  cpu: () => {
    const usage = cpuUsage();
    return [
      ["used_cpu_sys", (usage.system / 1e6).toFixed(6)],
      ["used_cpu_user", (usage.user / 1e6).toFixed(6)],
    ];
  },
  modules: () => [],
  errorstats: (context) => errorStatsFields(context.stats.errorCodes),
  cluster: () => [["cluster_enabled", 0]],
  keyspace: (context) =>
    context.keyspace.databases
      .filter((database) => database.size > 0)
      .map(
        (database) =>
          [`db${database.index}`, `keys=${database.size},expires=${database.expires.size},avg_ttl=0`] as const,
      ),
  commandstats: (context) =>
    [...context.stats.commands.entries()]
      .filter(([, stats]) => stats.calls + stats.rejectedCalls > 0)
      .map(
        ([name, stats]) =>
          [
            `cmdstat_${name}`,
            `calls=${stats.calls},usec=${stats.usec},usec_per_call=${stats.calls === 0 ? "0.00" : (stats.usec / stats.calls).toFixed(2)},rejected_calls=${stats.rejectedCalls},failed_calls=${stats.failedCalls}`,
          ] as const,
      ),
};
