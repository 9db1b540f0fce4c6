// The engine's settings: every directive the engine understands, typed, with Redis 7.0's defaults.
// Directive names are redis.conf names; the table in directives.ts maps them to these fields.

/** One `save <seconds> <changes>` rule. */
export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

/** appendfsync policies. */
export type AppendFsync = "always" | "everysec" | "no";

/** Who may use a protected action (DEBUG, MODULE, CONFIG SET of protected configs). */
export type ProtectedAction = "yes" | "no" | "local";

/** maxmemory-policy values. */
export type MaxmemoryPolicy =
  | "volatile-lru"
  | "volatile-lfu"
  | "volatile-random"
  | "volatile-ttl"
  | "allkeys-lru"
  | "allkeys-lfu"
  | "allkeys-random"
  | "noeviction";

/** Redis log levels ("nothing" is Redis 7.2's; 7.0's loglevel directive refuses it). */
export type LogLevel = "debug" | "verbose" | "notice" | "warning" | "nothing";

/** All settings, mutable by CONFIG SET where the directive allows it. */
export interface ServerSettings {
  port: number;
  bind: string[];
  dir: string;
  requirepass: string;
  databases: number;
  loglevel: LogLevel;
  logfile: string;
  pidfile: string;
  daemonize: boolean;
  protectedMode: boolean;
  timeout: number;
  tcpKeepalive: number;
  maxclients: number;
  hz: number;
  protoMaxBulkLen: number;
  clientQueryBufferLimit: number;
  enableDebugCommand: ProtectedAction;
  enableProtectedConfigs: ProtectedAction;
  enableModuleCommand: ProtectedAction;
  // Memory limit
  maxmemory: number;
  maxmemoryPolicy: MaxmemoryPolicy;
  maxmemorySamples: number;
  // RDB
  save: SavePoint[];
  dbfilename: string;
  rdbcompression: boolean;
  rdbchecksum: boolean;
  stopWritesOnBgsaveError: boolean;
  rdbDelSyncFiles: boolean;
  rdbKeySaveDelay: number;
  keyLoadDelay: number;
  // AOF
  appendonly: boolean;
  appendfsync: AppendFsync;
  appenddirname: string;
  appendfilename: string;
  autoAofRewritePercentage: number;
  autoAofRewriteMinSize: number;
  aofUseRdbPreamble: boolean;
  aofLoadTruncated: boolean;
  aofTimestampEnabled: boolean;
  noAppendfsyncOnRewrite: boolean;
  aofRewriteIncrementalFsync: boolean;
  // Encodings (used by the RDB writer to choose listpack/intset like Redis does)
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  setMaxIntsetEntries: number;
  listMaxListpackSize: number;
  listCompressDepth: number;
}

/** Redis 7.0.15's defaults. */
export function createDefaultSettings(): ServerSettings {
  return {
    port: 6379,
    bind: ["127.0.0.1"],
    dir: ".",
    requirepass: "",
    databases: 16,
    loglevel: "notice",
    logfile: "",
    pidfile: "",
    daemonize: false,
    protectedMode: true,
    timeout: 0,
    tcpKeepalive: 300,
    maxclients: 10000,
    hz: 10,
    protoMaxBulkLen: 512 * 1024 * 1024,
    clientQueryBufferLimit: 1024 * 1024 * 1024,
    enableDebugCommand: "no",
    enableProtectedConfigs: "no",
    enableModuleCommand: "no",
    maxmemory: 0,
    maxmemoryPolicy: "noeviction",
    maxmemorySamples: 5,
    save: [
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
      { seconds: 60, changes: 10000 },
    ],
    dbfilename: "dump.rdb",
    rdbcompression: true,
    rdbchecksum: true,
    stopWritesOnBgsaveError: true,
    rdbDelSyncFiles: false,
    rdbKeySaveDelay: 0,
    keyLoadDelay: 0,
    appendonly: false,
    appendfsync: "everysec",
    appenddirname: "appendonlydir",
    appendfilename: "appendonly.aof",
    autoAofRewritePercentage: 100,
    autoAofRewriteMinSize: 64 * 1024 * 1024,
    aofUseRdbPreamble: true,
    aofLoadTruncated: true,
    aofTimestampEnabled: false,
    noAppendfsyncOnRewrite: false,
    aofRewriteIncrementalFsync: true,
    hashMaxListpackEntries: 512, // redis-server's compiled default (redis.conf's example sets 128)
    hashMaxListpackValue: 64,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    listMaxListpackSize: -2,
    listCompressDepth: 0,
  };
}
