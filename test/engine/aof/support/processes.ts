// Test processes for the AOF tests: the built engine or a real redis-server started in a data dir the
// test owns (so it can be killed, inspected and restarted on the same files), on a free loopback port,
// always stopped by its own PID. Ports, redis detection and spawning come from test/helpers/servers.ts.
import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { findFreePort } from "../../../../src/harness/engines/ports.ts";
import {
  ENGINE_BIN,
  SKIP_WITHOUT_REDIS,
  hasRedisServer,
  launchServer,
  makeTempDir as makeNamedTempDir,
  sleep,
  waitForPing,
  type ExitInfo,
} from "../../../helpers/servers.ts";

export { ENGINE_BIN, SKIP_WITHOUT_REDIS, type ExitInfo };

/** Whether redis-server (and its tools) are installed. */
export const hasRedis = hasRedisServer;

/** A fresh temp directory. */
export function makeTempDir(label: string): string {
  return makeNamedTempDir(`aof-${label}`);
}

/** A started server. */
export interface ServerProcess {
  readonly kind: "engine" | "redis";
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  output(): string;
  isRunning(): boolean;
  /** Sends a signal to this process only. */
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL and wait. */
  crash(): Promise<ExitInfo>;
  /** SHUTDOWN-like stop by SIGTERM (SIGKILL after 10 s) and wait. */
  stop(): Promise<ExitInfo>;
  /** A client for this server (no reconnects, no offline queue). */
  client(): Redis;
}

/** Options of a start. */
export interface StartOptions {
  readonly dir: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Wait for PING (default) or return right after spawning. */
  readonly waitReady?: boolean;
  readonly readyTimeoutMs?: number;
}

/** Spawns the engine or redis-server in `dir`. With waitReady, throws (with the output) when it never answers. */
export async function startServer(kind: "engine" | "redis", options: StartOptions): Promise<ServerProcess> {
  const port = await findFreePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    options.dir,
    "--save",
    "",
    ...(options.args ?? []),
  ];
  const { child, exited, output, isRunning } = launchServer(
    kind,
    args,
    options.env === undefined ? {} : { env: options.env },
  );
  const pid = child.pid as number;
  const clients: Redis[] = [];
  const server: ServerProcess = {
    kind,
    port,
    pid,
    dir: options.dir,
    child,
    exited,
    output,
    isRunning,
    kill: (signal) => {
      if (isRunning()) process.kill(pid, signal);
    },
    crash: async () => {
      if (isRunning()) process.kill(pid, "SIGKILL");
      const info = await exited;
      for (const client of clients) client.disconnect();
      return info;
    },
    stop: async () => {
      if (isRunning()) process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (isRunning()) process.kill(pid, "SIGKILL");
      }, 10_000);
      const info = await exited;
      clearTimeout(timer);
      for (const client of clients) client.disconnect();
      return info;
    },
    client: () => {
      const client = new Redis({
        host: "127.0.0.1",
        port,
        lazyConnect: false,
        enableOfflineQueue: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        reconnectOnError: () => false,
      });
      client.on("error", () => {});
      clients.push(client);
      return client;
    },
  };
  if (options.waitReady === false) return server;
  const ready = await waitForPing(port, isRunning, options.readyTimeoutMs ?? 20_000);
  if (!ready) {
    if (isRunning()) process.kill(pid, "SIGKILL");
    await exited;
    throw new Error(`${kind} did not become ready in ${options.dir}:\n${output()}`);
  }
  return server;
}

/** Runs the engine until it exits by itself (start-up refusals, fault points at boot). */
export async function runEngineUntilExit(
  options: StartOptions & { timeoutMs?: number },
): Promise<ExitInfo & { output: string }> {
  const server = await startServer("engine", { ...options, waitReady: false });
  const timer = setTimeout(() => server.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  const info = await server.exited;
  clearTimeout(timer);
  return { ...info, output: server.output() };
}

/** Parses INFO text into fields. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/** Polls `check` every 20 ms until it is true (bounded); throws with `what` on timeout. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** INFO persistence of a server as fields. */
export async function persistenceInfo(client: Redis): Promise<Record<string, string>> {
  return parseInfo(await client.info("persistence"));
}

/** Waits until no AOF rewrite runs or is scheduled. */
export async function waitForRewriteDone(client: Redis, timeoutMs = 60_000): Promise<Record<string, string>> {
  let last: Record<string, string> = {};
  await waitFor(
    "the AOF rewrite to finish",
    async () => {
      last = await persistenceInfo(client);
      return last["aof_rewrite_in_progress"] === "0" && last["aof_rewrite_scheduled"] === "0";
    },
    timeoutMs,
  );
  return last;
}
