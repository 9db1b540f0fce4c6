// Starting and stopping the servers the engine tests talk to: the built engine
// (dist/bin/persistlab-server.js) and a real redis-server, each on a free loopback port chosen at
// runtime, each stopped by its own PID only.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The built engine entry point (run `npm run build` first). */
export const ENGINE_BIN = join(import.meta.dirname, "../../dist/bin/persistlab-server.js");

/** Whether redis-server runs on this machine. */
export function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Skip redis-dependent tests only outside CI; under CI=true they run and fail when redis is missing. */
export const SKIP_WITHOUT_REDIS = !hasRedisServer() && process.env["CI"] !== "true";

/** A free loopback port chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A server process started by a test. */
export interface SpawnedServer {
  readonly kind: "engine" | "redis";
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly dir: string;
  /** stdout and stderr so far. */
  output(): string;
  /** Whether the process is still running. */
  isRunning(): boolean;
  /** SIGTERM (then SIGKILL after 5 s) by PID; removes the data directory. */
  stop(): Promise<void>;
}

/** Spawns the engine or redis-server with redis-server style arguments and waits until it answers PING (or NOAUTH). */
export async function spawnServer(kind: "engine" | "redis", args: readonly string[] = [], nodeArgs: readonly string[] = []): Promise<SpawnedServer> {
  const dir = mkdtempSync(join(tmpdir(), `persistlab-${kind}-`));
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const fullArgs = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", ...args];
    const child =
      kind === "engine"
        ? spawn(process.execPath, [...nodeArgs, ENGINE_BIN, ...fullArgs], { stdio: ["ignore", "pipe", "pipe"] })
        : spawn("redis-server", fullArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let running = true;
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<void>((resolve) =>
      child.once("exit", () => {
        running = false;
        resolve();
      }),
    );
    const ready = await waitForPing(port, () => running, 15_000);
    if (!ready) {
      if (running && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      await exited;
      if (attempt < 2 && /in use|EADDRINUSE/i.test(output)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${kind} did not start on port ${port}:\n${output}`);
    }
    const pid = child.pid as number;
    return {
      kind,
      port,
      pid,
      child,
      dir,
      output: () => output,
      isRunning: () => running,
      stop: async () => {
        if (running) {
          process.kill(pid, "SIGTERM");
          const timer = setTimeout(() => {
            if (running) process.kill(pid, "SIGKILL");
          }, 5_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

// Polls until PING answers +PONG (bounded by timeoutMs); false when the process died or time ran out.
async function waitForPing(port: number, alive: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      let data = "";
      const finish = (value: boolean): void => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(1000, () => finish(false));
      socket.on("error", () => finish(false));
      socket.on("connect", () => socket.write("PING\r\n"));
      socket.on("data", (chunk) => {
        data += chunk.toString("latin1");
        if (data.includes("\r\n")) finish(data.startsWith("+PONG") || data.startsWith("-NOAUTH"));
      });
    });
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
