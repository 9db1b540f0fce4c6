// Starting and stopping the servers the engine tests talk to: the built engine
// (dist/bin/persistlab-server.js) and a real redis-server, each on a free loopback port chosen at
// runtime, each stopped by its own PID only. The shared pieces other test helpers re-export live here.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../src/harness/engines/ports.ts";
import { ENGINE_NODE_FLAGS } from "../../src/engine/server/heap-flags.ts";

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

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh temp directory named persistlab-<label>-XXXXXX. */
export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `persistlab-${label}-`));
}

/** How a process ended. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A server child process whose output is collected, before any readiness wait. */
export interface LaunchedServer {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  /** stdout and stderr so far. */
  output(): string;
  /** Whether the process is still running. */
  isRunning(): boolean;
}

/** Spawns the engine (node ENGINE_BIN) or redis-server with `args`, collecting stdout and stderr. */
export function launchServer(
  kind: "engine" | "redis",
  args: readonly string[],
  options: { readonly env?: Readonly<Record<string, string>>; readonly nodeArgs?: readonly string[] } = {},
): LaunchedServer {
  const env = { ...process.env, ...(options.env ?? {}) };
  const child =
    kind === "engine"
      ? spawn(process.execPath, [...ENGINE_NODE_FLAGS, ...(options.nodeArgs ?? []), ENGINE_BIN, ...args], {
          stdio: ["ignore", "pipe", "pipe"],
          env,
        })
      : spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  let running = true;
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  return { child, exited, output: () => output, isRunning: () => running };
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
export async function spawnServer(
  kind: "engine" | "redis",
  args: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<SpawnedServer> {
  const dir = makeTempDir(kind);
  for (let attempt = 0; ; attempt += 1) {
    const port = await findFreePort();
    const fullArgs = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      ...args,
    ];
    const { child, exited, output, isRunning } = launchServer(kind, fullArgs, { nodeArgs });
    const ready = await waitForPing(port, isRunning, 15_000, { acceptNoauth: true });
    if (!ready) {
      if (isRunning() && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      await exited;
      if (attempt < 2 && /in use|EADDRINUSE/i.test(output())) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${kind} did not start on port ${port}:\n${output()}`);
    }
    const pid = child.pid as number;
    return {
      kind,
      port,
      pid,
      child,
      dir,
      output,
      isRunning,
      stop: async () => {
        if (isRunning()) {
          process.kill(pid, "SIGTERM");
          const timer = setTimeout(() => {
            if (isRunning()) process.kill(pid, "SIGKILL");
          }, 5_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

/** Sends one inline command on a fresh connection; resolves with the first reply line ("" when it cannot connect or times out). */
export function sendInlineCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    const finish = (line: string): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(timeoutMs, () => finish(""));
    socket.on("error", () => finish(""));
    socket.on("close", () => finish(data.split("\r\n")[0] ?? ""));
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      const end = data.indexOf("\r\n");
      if (end >= 0) finish(data.slice(0, end));
    });
  });
}

/**
 * Polls until PING answers +PONG (or -NOAUTH with acceptNoauth; the engine answers -LOADING while
 * loading), bounded by timeoutMs; false when the process died or time ran out.
 */
export async function waitForPing(
  port: number,
  alive: () => boolean,
  timeoutMs: number,
  options: { readonly acceptNoauth?: boolean } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    const reply = await sendInlineCommand(port, "PING");
    if (reply.startsWith("+PONG") || (options.acceptNoauth === true && reply.startsWith("-NOAUTH"))) return true;
    await sleep(50);
  }
  return false;
}
