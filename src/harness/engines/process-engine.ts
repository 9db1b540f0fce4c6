// An engine run as a child process with redis-server's command line: the bundled persistlab-server or any
// redis-server-compatible binary. Writes a config file, spawns with execa (reject:false), waits for readiness,
// and stops with process.kill(pid, sig) escalating SIGTERM → SIGKILL itself (under Deno, a child process's kill()
// delivers only the first signal, so its own escalation never reaches SIGKILL).
import { execa } from "execa";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findFreePort, createTempDir } from "./ports.ts";
import { trackProcess, untrackProcess } from "./process-tracker.ts";
import { waitReady } from "./readiness.ts";
import type {
  EngineCapabilities,
  EngineInstance,
  EngineKind,
  EngineStartOptions,
  Endpoint,
  ExitInfo,
} from "./types.ts";

const LOG_TAIL_BYTES = 8192;

/** How to launch the binary: executable plus leading args (e.g. node + script). */
export interface LaunchCommand {
  file: string;
  args: readonly string[];
}

/** Renders the redis.conf text for an instance: fixed directives first, then the strategy's. */
export function renderConfigFile(options: {
  port: number;
  dataDir: string;
  config: Readonly<Record<string, string>>;
}): string {
  const base: Record<string, string> = {
    bind: "127.0.0.1",
    port: String(options.port),
    dir: options.dataDir,
    daemonize: "no",
    logfile: '""',
    save: '""',
    appendonly: "no",
    "protected-mode": "no",
  };
  for (const [name, value] of Object.entries(options.config)) base[name] = value === "" ? '""' : value;
  return (
    Object.entries(base)
      .map(([name, value]) => `${name} ${value}`)
      .join("\n") + "\n"
  );
}

/** A child-process engine instance (bundled or redis-server). */
export class ProcessEngineInstance implements EngineInstance {
  readonly kind: EngineKind;
  readonly endpoint: Endpoint;
  readonly dataDir: string;
  readonly config: Readonly<Record<string, string>>;
  readonly capabilities: EngineCapabilities = { restart: true, pid: true };
  readonly #launch: LaunchCommand;
  readonly #rootDir: string;
  readonly #configFile: string;
  #child: { pid?: number | undefined } | undefined;
  #exited: Promise<ExitInfo> = Promise.resolve({ exitCode: undefined, signal: undefined });
  #running = false;
  #log = "";
  #environment: Readonly<Record<string, string>> = {};

  constructor(options: {
    kind: EngineKind;
    launch: LaunchCommand;
    rootDir: string;
    port: number;
    config: Readonly<Record<string, string>>;
  }) {
    this.kind = options.kind;
    this.#launch = options.launch;
    this.#rootDir = options.rootDir;
    this.dataDir = join(options.rootDir, "data");
    this.#configFile = join(options.rootDir, "engine.conf");
    this.endpoint = { host: "127.0.0.1", port: options.port };
    this.config = options.config;
  }

  /** Creates the directories and config file, picking a free port. */
  static async create(options: {
    kind: EngineKind;
    launch: LaunchCommand;
    config: Readonly<Record<string, string>>;
    label: string;
  }): Promise<ProcessEngineInstance> {
    const rootDir = await createTempDir(options.label);
    const port = await findFreePort();
    const instance = new ProcessEngineInstance({ ...options, rootDir, port });
    await mkdir(instance.dataDir, { recursive: true });
    await writeFile(
      instance.#configFile,
      renderConfigFile({ port, dataDir: instance.dataDir, config: options.config }),
    );
    return instance;
  }

  pid(): number | undefined {
    return this.#running ? this.#child?.pid : undefined;
  }

  isRunning(): boolean {
    return this.#running;
  }

  logTail(): string {
    return this.#log;
  }

  // Keeps the last few KB of the engine's output.
  #appendLog(chunk: Buffer | string): void {
    this.#log = (this.#log + chunk.toString()).slice(-LOG_TAIL_BYTES);
  }

  setEnvironment(environment: Readonly<Record<string, string>>): void {
    this.#environment = { ...environment };
  }

  getEnvironment(): Readonly<Record<string, string>> {
    return this.#environment;
  }

  async start(options: EngineStartOptions = {}): Promise<{ readyMs: number }> {
    if (this.#running) throw new Error("engine already running");
    const started = performance.now();
    const child = execa(this.#launch.file, [...this.#launch.args, this.#configFile, ...(options.extraArgs ?? [])], {
      reject: false,
      buffer: false,
      stdin: "ignore",
      cleanup: true,
      env: { ...process.env, NO_COLOR: "1", ...this.#environment, ...options.environment },
    });
    this.#child = child;
    this.#running = true;
    const pid = child.pid;
    if (pid !== undefined) trackProcess(pid);
    child.stdout?.on("data", (chunk: Buffer) => this.#appendLog(chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.#appendLog(chunk));
    this.#exited = child.then((result) => {
      this.#running = false;
      if (pid !== undefined) untrackProcess(pid);
      return { exitCode: result.exitCode, signal: result.signal };
    });
    try {
      await waitReady(this.endpoint, { timeoutMs: options.timeoutMs ?? 60_000, isAlive: () => this.#running });
    } catch (error) {
      await this.kill("SIGKILL");
      throw new Error(
        `${(error as Error).message}; engine output:\n${this.#log.trim().split("\n").slice(-15).join("\n")}`,
        { cause: error },
      );
    }
    return { readyMs: performance.now() - started };
  }

  async kill(signal: NodeJS.Signals): Promise<ExitInfo> {
    const pid = this.#child?.pid;
    if (this.#running && pid !== undefined) {
      try {
        process.kill(pid, signal);
      } catch {
        // already exited: the exit promise resolves below
      }
    }
    return this.#exited;
  }

  async stop(options: { graceMs?: number } = {}): Promise<ExitInfo> {
    if (!this.#running) return this.#exited;
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // gone
      }
    }
    const grace = options.graceMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), grace);
    });
    const first = await Promise.race([this.#exited, timedOut]);
    clearTimeout(timer);
    if (first === "timeout") return this.kill("SIGKILL");
    return first;
  }

  waitExit(): Promise<ExitInfo> {
    return this.#exited;
  }

  async dispose(options: { keepData?: boolean } = {}): Promise<void> {
    await this.stop({ graceMs: 5000 });
    if (options.keepData !== true) await rm(this.#rootDir, { recursive: true, force: true });
  }
}
