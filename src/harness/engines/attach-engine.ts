// attach: an engine already running at host:port. Measurement only: it cannot be restarted or killed,
// and its configuration is read (CONFIG GET), never changed.
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { readInfo, sendCommands } from "./raw-client.ts";
import { waitReady } from "./readiness.ts";
import type { Engine, EngineDescription, EngineInstance, Endpoint, ExitInfo } from "./types.ts";

const PERSISTENCE_DIRECTIVES = ["appendonly", "appendfsync", "save", "aof-use-rdb-preamble", "dir"];

/** Reads the persistence directives of a running server (best effort: {} when CONFIG is disabled). */
export async function readPersistenceConfig(endpoint: Endpoint): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    const replies = await sendCommands(
      endpoint,
      PERSISTENCE_DIRECTIVES.map((d) => ["CONFIG", "GET", d]),
    );
    for (const reply of replies)
      if (Array.isArray(reply) && typeof reply[0] === "string" && typeof reply[1] === "string")
        out[reply[0]] = reply[1];
  } catch {
    // CONFIG may be renamed or disabled; attach still measures.
  }
  return out;
}

/** Fails at once, naming the cause, when nothing usable answers at the endpoint (connection refused, no reply, an error to PING). */
export async function checkAttachReachable(endpoint: Endpoint, timeoutMs = 3000): Promise<void> {
  const where = `${endpoint.host}:${endpoint.port}`;
  const hint = `start the server first (e.g. redis-server --port ${endpoint.port}), or check --host/--port`;
  let reply: unknown;
  try {
    [reply] = await sendCommands(endpoint, [["PING"]], timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause =
      code === "ECONNREFUSED"
        ? "connection refused (nothing is listening there)"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? `unknown host ${endpoint.host}`
          : (error as Error).message;
    throw new HarnessError(`--engine attach: cannot connect to ${where}: ${cause}`, {
      exitCode: EXIT_CODES.ENGINE_FAILED,
      hint,
    });
  }
  if (reply instanceof Error && !reply.message.startsWith("LOADING")) {
    throw new HarnessError(`--engine attach: ${where} answered PING with an error: ${reply.message}`, {
      exitCode: EXIT_CODES.ENGINE_FAILED,
      hint: "attach needs a server that accepts commands without AUTH",
    });
  }
}

// An attached instance: start() only waits for readiness, stop/kill are refused.
class AttachedInstance implements EngineInstance {
  readonly kind = "attach" as const;
  readonly dataDir = undefined;
  readonly capabilities = { restart: false, pid: false };
  readonly endpoint: Endpoint;
  readonly config: Readonly<Record<string, string>>;
  constructor(endpoint: Endpoint, config: Record<string, string>) {
    this.endpoint = endpoint;
    this.config = config;
  }
  pid(): undefined {
    return undefined;
  }
  isRunning(): boolean {
    return true;
  }
  logTail(): string {
    return "";
  }
  async start(options: { timeoutMs?: number } = {}): Promise<{ readyMs: number }> {
    return { readyMs: await waitReady(this.endpoint, { timeoutMs: options.timeoutMs ?? 10_000 }) };
  }
  kill(): Promise<ExitInfo> {
    return Promise.reject(new Error("attach mode cannot kill the engine (measurement only)"));
  }
  stop(): Promise<ExitInfo> {
    return Promise.reject(new Error("attach mode cannot stop the engine (measurement only)"));
  }
  waitExit(): Promise<ExitInfo> {
    return new Promise(() => undefined);
  }
  async dispose(): Promise<void> {
    /* never ours to stop */
  }
}

/** Creates the attach engine for host:port. */
export function createAttachEngine(endpoint: Endpoint): Engine {
  return {
    kind: "attach",
    async describe(): Promise<EngineDescription> {
      let version = "unknown";
      try {
        const info = await readInfo(endpoint, "server");
        version = info["redis_version"] ?? info["valkey_version"] ?? version;
      } catch {
        /* reported as unknown */
      }
      return { kind: "attach", name: "attached", binary: `${endpoint.host}:${endpoint.port}`, version };
    },
    async create() {
      return new AttachedInstance(endpoint, await readPersistenceConfig(endpoint));
    },
  };
}
