// Builds the server context (server/context-types.ts says what it holds) in one step: settings,
// keyspace, the command table and dispatcher, the WATCH, blocking, ACL, MONITOR, tracking and Pub/Sub
// registries, monitoring. Boot and
// the in-process tests call createServerContext; everything else receives the context it returns.
import type { LoadedConfig } from "../config/load-config.ts";
import type { ServerSettings } from "../config/settings.ts";
import { Keyspace } from "../keyspace/keyspace.ts";
import type { Logger } from "../log.ts";
import { createNullPersistence, type PersistenceHooks } from "../persistence/hooks.ts";
import type { Client, CommandSpec, ServerContext, ServerStats } from "./context-types.ts";
import { AclUserTable } from "./acl-users.ts";
import { BlockedClients } from "./blocking.ts";
import { CommandDispatcher } from "./dispatcher.ts";
import { MonitorFeed } from "./monitor.ts";
import { Monitoring } from "./monitoring.ts";
import { PubSubChannels } from "./pubsub.ts";
import { KeyTracking } from "./tracking.ts";
import { WatchRegistry } from "./watch-registry.ts";

/** Builds the shared state of one server process around its command table (rename-command applies to dispatcher.table after). */
export function createServerContext(options: {
  config: LoadedConfig;
  log: Logger;
  commands: readonly CommandSpec[];
  now?: () => number;
}): ServerContext {
  return new ServerState(options);
}

class ServerState implements ServerContext {
  readonly settings: ServerSettings;
  readonly accepted: Map<string, string>;
  readonly configFile: string | undefined;
  readonly keyspace: Keyspace;
  readonly log: Logger;
  readonly clients = new Map<number, Client>();
  readonly startedAtMs = Date.now();
  readonly runId: string;
  readonly stats: ServerStats = createStats();
  readonly commands: ReadonlyMap<string, CommandSpec>;
  readonly dispatcher: CommandDispatcher;
  readonly watches: WatchRegistry;
  readonly blocking: BlockedClients;
  readonly monitoring: Monitoring;
  readonly acl: AclUserTable;
  readonly monitors = new MonitorFeed();
  readonly tracking: KeyTracking;
  readonly pubsub = new PubSubChannels();
  persistence: PersistenceHooks = createNullPersistence();
  loading = false;
  shuttingDown = false;
  boundPort = 0;
  nextClientId = 1;
  accessTrackingRequested = false;
  skipDumpChecksum = false;
  activeExpireEnabled = true;
  pendingSignalShutdown: { signal: string; save: boolean | undefined; force: boolean } | null = null;
  cronPaused = false;
  requestShutdown: (save: boolean | undefined, force?: boolean) => Promise<void> = async () => {};
  wakeClient: (client: Client) => void = () => {};

  constructor(options: { config: LoadedConfig; log: Logger; commands: readonly CommandSpec[]; now?: () => number }) {
    this.settings = options.config.settings;
    this.accepted = options.config.accepted;
    this.configFile = options.config.configFile;
    this.keyspace = new Keyspace(this.settings.databases, options.now ?? Date.now, () => this.loading);
    this.log = options.log;
    this.runId = Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
    this.commands = new Map(options.commands.map((spec) => [spec.name, spec]));
    this.blocking = new BlockedClients(this);
    this.monitoring = new Monitoring(this.accepted);
    // As Redis's updateStatsOnUnblock: a blocked command reaches the slow log once it is served.
    this.blocking.onUnblock((client, argv, times) => this.monitoring.pushSlowlog(client, argv, times.servedUs));
    // Keyspace listeners run in the order registered: blocking, then WATCH, then tracking (the dispatcher's).
    this.watches = new WatchRegistry(this.keyspace);
    this.acl = new AclUserTable(this);
    this.tracking = new KeyTracking(this, this.keyspace);
    // Last: the dispatcher reads the rest of the context (stats, ACL users, tracking) as it is built.
    this.dispatcher = new CommandDispatcher(this, options.commands);
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
