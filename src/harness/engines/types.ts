// The engine interface: one shape for the bundled engine, any redis-server-compatible binary, and attach mode.

/** Which kind of engine drives a run. */
export type EngineKind = "bundled" | "redis-server" | "attach";

/** Where an engine listens. */
export interface Endpoint {
  host: string;
  port: number;
}

/** What is running: recorded in results.json's environment. */
export interface EngineDescription {
  kind: EngineKind;
  /** Product name reported by the binary ("redis-server", "persistlab-server", "valkey-server", or "attached"). */
  name: string;
  /** Absolute path (or command) of the binary; the endpoint for attach. */
  binary: string;
  /** Version string (e.g. "7.0.15"), or "unknown". */
  version: string;
}

/** How a process ended: data, not an exception (execa style). */
export interface ExitInfo {
  exitCode: number | undefined;
  signal: string | undefined;
}

/** What an engine instance can do (attach can only be measured). */
export interface EngineCapabilities {
  /** Can be stopped, killed and restarted with the same data directory. */
  restart: boolean;
  /** Has a local PID whose RSS can be sampled. */
  pid: boolean;
}

/** Options of one start: extra environment variables and extra command-line directives for this start only. */
export interface EngineStartOptions {
  timeoutMs?: number;
  /** Added to the process environment for this start (after setEnvironment's), e.g. PERSISTLAB_FAULT_POINT. */
  environment?: Readonly<Record<string, string>>;
  /** Appended to the command line for this start (redis-server syntax: "--key-load-delay", "50"). */
  extraArgs?: readonly string[];
}

/** A live (or stopped) engine with its own port and data directory. */
export interface EngineInstance {
  readonly kind: EngineKind;
  readonly endpoint: Endpoint;
  /** The data directory (dir directive); undefined for attach. */
  readonly dataDir: string | undefined;
  /** The directives the instance runs with (as strings). */
  readonly config: Readonly<Record<string, string>>;
  readonly capabilities: EngineCapabilities;
  /** PID of the running process, if any. */
  pid(): number | undefined;
  /** True while the process is alive. */
  isRunning(): boolean;
  /** Starts (or restarts) the process on the same port and data directory; resolves when ready (LOADING done). */
  start(options?: EngineStartOptions): Promise<{ readyMs: number }>;
  /** Extra environment for every later start (e.g. LD_PRELOAD of a tracing shim); absent where there is no process. */
  setEnvironment?(environment: Readonly<Record<string, string>>): void;
  /** The extra environment set with setEnvironment (empty when none). */
  getEnvironment?(): Readonly<Record<string, string>>;
  /** Sends a signal (e.g. SIGKILL) and waits until the process has exited. */
  kill(signal: NodeJS.Signals): Promise<ExitInfo>;
  /** Graceful stop: SIGTERM (Redis saves/fsyncs on it), escalating to SIGKILL after graceMs. */
  stop(options?: { graceMs?: number }): Promise<ExitInfo>;
  /** Resolves when the process has exited (immediately if not running). */
  waitExit(): Promise<ExitInfo>;
  /** Stops the process if running and removes the data directory (unless keepData). */
  dispose(options?: { keepData?: boolean }): Promise<void>;
  /** The last lines the engine printed (for error messages). */
  logTail(): string;
}

/** A factory for engine instances of one kind. */
export interface Engine {
  readonly kind: EngineKind;
  /** Describes the binary (runs `--version` once). */
  describe(): Promise<EngineDescription>;
  /** Creates an instance with a fresh port and data directory (not started yet). */
  create(options: { config: Readonly<Record<string, string>>; label: string }): Promise<EngineInstance>;
}
