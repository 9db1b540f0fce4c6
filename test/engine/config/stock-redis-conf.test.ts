// The engine started with Debian's stock /etc/redis/redis.conf (a copy with only port, dir, logfile,
// pidfile and daemonize changed): it starts, names the inert directives in one warning, serves,
// saves on SHUTDOWN and loads the data back on the next start with the same file. The same for a
// config in the style of Redis's own test suite (deprecated slave-* names, enable-* yes, panic).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../../src/harness/engines/ports.ts";
import { RespConnection } from "../../helpers/resp-client.ts";
import { launchServer, makeTempDir, SKIP_WITHOUT_REDIS, waitForPing } from "../../helpers/servers.ts";

const STOCK = "/etc/redis/redis.conf";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Debian's file with the five path/process lines replaced, nothing else. */
function stockCopy(dir: string, port: number): string {
  const replaced = new Set<string>();
  const text = readFileSync(STOCK, "utf8")
    .split("\n")
    .map((line) => {
      const name = /^(port|dir|logfile|pidfile|daemonize)\s/.exec(line)?.[1];
      if (name === undefined) return line;
      replaced.add(name);
      const value = {
        port: String(port),
        dir,
        logfile: join(dir, "server.log"),
        pidfile: join(dir, "server.pid"),
        daemonize: "no",
      }[name];
      return `${name} ${value}`;
    })
    .join("\n");
  expect([...replaced].sort()).toEqual(["daemonize", "dir", "logfile", "pidfile", "port"]);
  const path = join(dir, "redis.conf");
  writeFileSync(path, text);
  return path;
}

async function startWith(
  kind: "engine" | "redis",
  args: string[],
  port: number,
): Promise<{ stop: () => Promise<number | null>; output: () => string }> {
  const launched = launchServer(kind, args);
  const ready = await waitForPing(port, launched.isRunning, 20_000);
  if (!ready) {
    if (launched.isRunning() && launched.child.pid !== undefined) process.kill(launched.child.pid, "SIGKILL");
    await launched.exited;
    throw new Error(`${kind} did not start:\n${launched.output()}`);
  }
  return {
    output: launched.output,
    stop: async () => {
      const connection = await RespConnection.open(port);
      void connection.call("SHUTDOWN").catch(() => undefined);
      const exit = await launched.exited;
      connection.close();
      return exit.code;
    },
  };
}

describe.skipIf(SKIP_WITHOUT_REDIS)("Debian's stock redis.conf", () => {
  it("starts the engine, which serves, persists on SHUTDOWN, and loads the data back", async () => {
    const dir = makeTempDir("stock-conf");
    dirs.push(dir);
    const port = await findFreePort();
    const config = stockCopy(dir, port);
    const first = await startWith("engine", [config], port);
    const connection = await RespConnection.open(port);
    expect(await connection.call("SET", "stock", "conf")).toEqual({ type: "status", value: "OK" });
    expect(await connection.call("CONFIG", "GET", "repl-diskless-sync-max-replicas")).toMatchObject({ type: "array" });
    expect(await connection.call("CONFIG", "GET", "dir")).toEqual({
      type: "array",
      value: [
        { type: "bulk", value: "dir" },
        { type: "bulk", value: dir },
      ],
    });
    connection.close();
    expect(await first.stop()).toBe(0);
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
    const log = readFileSync(join(dir, "server.log"), "utf8");
    const warnings = log.split("\n").filter((line) => line.includes("have no effect in persistlab-server"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("repl-diskless-sync-max-replicas");
    expect(warnings[0]).toContain("client-output-buffer-limit");

    const second = await startWith("engine", [config], port);
    const again = await RespConnection.open(port);
    expect(await again.call("GET", "stock")).toEqual({ type: "bulk", value: "conf" });
    again.close();
    expect(await second.stop()).toBe(0);
  }, 90_000);

  it("accepts a config in the style of Redis's test suite, as redis-server does", async () => {
    const dir = makeTempDir("suite-style");
    dirs.push(dir);
    const lines = [
      "always-show-logo yes",
      "notify-keyspace-events KEA",
      "daemonize no",
      "timeout 0",
      "bind 127.0.0.1",
      "loglevel verbose",
      "databases 16",
      "latency-monitor-threshold 1",
      "repl-diskless-sync-delay 0",
      "save 900 1",
      "dir ./",
      "slave-serve-stale-data yes",
      "appendonly no",
      "enable-protected-configs yes",
      "enable-debug-command yes",
      "enable-module-command yes",
      "propagation-error-behavior panic",
      "list-max-ziplist-entries 4",
      "rename-command FLUSHDB WIPEDB",
    ];
    for (const kind of ["redis", "engine"] as const) {
      const port = await findFreePort();
      const path = join(dir, `${kind}.conf`);
      writeFileSync(
        path,
        [...lines, `port ${port}`, `dbfilename ${kind}.rdb`, `logfile ${join(dir, `${kind}.log`)}`].join("\n") + "\n",
      );
      const server = await startWith(kind, [path, "--dir", dir], port);
      const connection = await RespConnection.open(port);
      expect({ kind, reply: await connection.call("CONFIG", "GET", "slave-serve-stale-data") }).toEqual({
        kind,
        reply: {
          type: "array",
          value: [
            { type: "bulk", value: "slave-serve-stale-data" },
            { type: "bulk", value: "yes" },
          ],
        },
      });
      expect({ kind, reply: await connection.call("CONFIG", "GET", "notify-keyspace-events") }).toEqual({
        kind,
        reply: {
          type: "array",
          value: [
            { type: "bulk", value: "notify-keyspace-events" },
            { type: "bulk", value: "AKE" },
          ],
        },
      });
      expect({ kind, reply: await connection.call("WIPEDB") }).toEqual({
        kind,
        reply: { type: "status", value: "OK" },
      });
      expect({ kind, reply: (await connection.call("FLUSHDB")).type }).toEqual({ kind, reply: "error" });
      // enable-protected-configs yes: dir may change at runtime.
      expect({ kind, reply: await connection.call("CONFIG", "SET", "dir", dir) }).toEqual({
        kind,
        reply: { type: "status", value: "OK" },
      });
      connection.close();
      expect(await server.stop()).toBe(0);
    }
  }, 90_000);
});
