// The server context: everything a command may reach (settings, keyspace, clients, stats,
// persistence hooks, logger). Passed explicitly, never global.
import type { LoadedConfig } from "../config/load-config.ts";
import type { ServerSettings } from "../config/settings.ts";
import { Keyspace } from "../keyspace/keyspace.ts";
import type { Logger } from "../log.ts";
import { createNullPersistence, type PersistenceHooks } from "../persistence/hooks.ts";
import type { Client } from "./client.ts";
import type { CommandSpec } from "../commands/types.ts";
import type { Dispatcher } from "./dispatcher.ts";
import type { WatchRegistry } from "./watch-registry.ts";
import { BlockingRegistry } from "./blocking.ts";
import { Monitoring } from "./monitoring.ts";
import type { ErrorCodeCounts } from "./error-stats.ts";

/** Counters INFO stats prints. */
export interface ServerStats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  totalErrorReplies: number;
  /** Keys removed by maxmemory eviction (evicted_keys). */
  evictedKeys: number;
  /** Per command: calls and microseconds. */
  commands: Map<string, { calls: number; usec: number; rejectedCalls: number; failedCalls: number }>;
  /** Error replies by code (INFO errorstats). */
  errorCodes: ErrorCodeCounts;
}

/** Shared state of one server process. */
export class ServerContext {
  readonly settings: ServerSettings;
  readonly accepted: Map<string, string>;
  readonly configFile: string | undefined;
  readonly keyspace: Keyspace;
  readonly log: Logger;
  readonly clients = new Map<number, Client>();
  readonly startedAtMs = Date.now();
  readonly runId: string;
  readonly stats: ServerStats = createStats();
  /** The command table (set by the server at start-up). */
  commands: ReadonlyMap<string, CommandSpec> = new Map();
  persistence: PersistenceHooks = createNullPersistence();
  /** True while the data set is being loaded: most commands get -LOADING. */
  loading = false;
  /** Set when a shutdown began. */
  shuttingDown = false;
  /** Port actually bound (differs from settings.port when 0 was asked). */
  boundPort = 0;
  nextClientId = 1;
  /** Set at boot (server/boot.ts). */
  dispatcher!: Dispatcher;
  watches!: WatchRegistry;
  /** Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK, ...). */
  readonly blocking: BlockingRegistry;
  /** SLOWLOG and the latency monitor. */
  readonly monitoring: Monitoring;
  /** Per-key access data was asked for (OBJECT IDLETIME/FREQ, RESTORE IDLETIME/FREQ): keep tracking it. */
  accessTrackingRequested = false;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE skips the payload's CRC64 check. */
  skipDumpChecksum = false;
  /** DEBUG SET-ACTIVE-EXPIRE: false stops the cron's active expiry (keys then expire lazily only). */
  activeExpireEnabled = true;
  /** A SIGTERM/SIGINT shutdown waiting for the next cron tick (Redis's shutdown_asap) with its flags; SHUTDOWN ABORT clears it. */
  pendingSignalShutdown: { signal: string; save: boolean | undefined; force: boolean } | null = null;
  /** DEBUG PAUSE-CRON: true stops the periodic tasks until set back. */
  cronPaused = false;
  /** Requests a shutdown; installed by the server. Rejects when the final save failed (the server keeps running). */
  requestShutdown: (save: boolean | undefined, force?: boolean) => Promise<void> = async () => {};
  /** Sends a client's pending replies at the end of this event-loop turn (replies written outside a command). */
  wakeClient: (client: Client) => void = () => {};

  constructor(options: { config: LoadedConfig; log: Logger; now?: () => number }) {
    this.settings = options.config.settings;
    this.accepted = options.config.accepted;
    this.configFile = options.config.configFile;
    this.keyspace = new Keyspace(this.settings.databases, options.now ?? Date.now, () => this.loading);
    this.log = options.log;
    this.blocking = new BlockingRegistry(this);
    this.monitoring = new Monitoring(this.accepted);
    // As Redis's updateStatsOnUnblock: a blocked command reaches the slow log once it is served.
    this.blocking.onUnblock((client, argv, times) => this.monitoring.pushSlowlog(client, argv, times.servedUs));
    this.runId = Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
  }
}

function createStats(): ServerStats {
  return {
    totalConnectionsReceived: 0,
    totalCommandsProcessed: 0,
    rejectedConnections: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    totalNetInputBytes: 0,
    totalNetOutputBytes: 0,
    totalErrorReplies: 0,
    evictedKeys: 0,
    commands: new Map(),
    errorCodes: new Map(),
  };
}
