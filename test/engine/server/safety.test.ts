// The engine's safety behaviour next to redis-server 7.0 where both can run: protected configs,
// enable-debug-command / enable-module-command, protected-mode (a peer that is not 127.0.0.1 is
// refused; 127.0.0.2 is loopback yet not local for Redis), CONFIG SET dir to a missing directory,
// a missing --dir at start-up, and a SIGTERM / SHUTDOWN whose final save fails (the server stays up).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../../src/harness/engines/ports.ts";
import { RespConnection, type Reply } from "../../helpers/resp-client.ts";
import {
  launchServer,
  makeTempDir,
  SKIP_WITHOUT_REDIS,
  sleep,
  spawnServer,
  type SpawnedServer,
} from "../../helpers/servers.ts";

const KINDS = ["engine", "redis"] as const;
const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function start(kind: "engine" | "redis", args: string[]): Promise<SpawnedServer> {
  const server = await spawnServer(kind, args);
  servers.push(server);
  return server;
}

/** Sends one command from a chosen loopback source address; resolves with the raw first reply line. */
function callFrom(localAddress: string, port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress });
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${command} from ${localAddress}`));
    }, 5000);
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      const end = data.indexOf("\r\n");
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.on("error", reject);
  });
}

const status = (value: string): Reply => ({ type: "status", value });
const error = (value: string): Reply => ({ type: "error", value });

describe.skipIf(SKIP_WITHOUT_REDIS)("safety, as redis-server 7.0", () => {
  it("refuses CONFIG SET of protected configs unless enable-protected-configs allows the client", async () => {
    for (const kind of KINDS) {
      const refused = await start(kind, []);
      const connection = await RespConnection.open(refused.port);
      expect({ kind, reply: await connection.call("CONFIG", "SET", "dir", "/proc") }).toEqual({
        kind,
        reply: error("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"),
      });
      expect({ kind, reply: await connection.call("CONFIG", "SET", "dbfilename", "../evil.rdb") }).toEqual({
        kind,
        reply: error("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"),
      });
      expect({ kind, reply: await connection.call("SAVE") }).toEqual({ kind, reply: status("OK") });
      expect(existsSync(join(refused.dir, "dump.rdb"))).toBe(true);
      connection.close();

      const local = await start(kind, ["--enable-protected-configs", "local", "--protected-mode", "no"]);
      expect({ kind, line: await callFrom("127.0.0.1", local.port, `CONFIG SET dbfilename other.rdb`) }).toEqual({
        kind,
        line: "+OK",
      });
      expect({ kind, line: await callFrom("127.0.0.2", local.port, `CONFIG SET dbfilename third.rdb`) }).toEqual({
        kind,
        line: "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config",
      });
      // Even where allowed, a path is not a file name.
      expect({ kind, line: await callFrom("127.0.0.1", local.port, `CONFIG SET dbfilename ../evil.rdb`) }).toEqual({
        kind,
        line: "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename",
      });
    }
  }, 60_000);

  it("gates DEBUG and MODULE with enable-debug-command and enable-module-command (no / local / yes)", async () => {
    for (const kind of KINDS) {
      const no = await start(kind, []);
      expect({ kind, line: await callFrom("127.0.0.1", no.port, "DEBUG SLEEP 0") }).toEqual({
        kind,
        line: '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      });
      expect({ kind, line: await callFrom("127.0.0.1", no.port, "MODULE LIST") }).toEqual({ kind, line: "*0" });
      expect({ kind, line: await callFrom("127.0.0.1", no.port, "MODULE LOAD /nonexistent.so") }).toEqual({
        kind,
        line: '-ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      });
      const local = await start(kind, [
        "--enable-debug-command",
        "local",
        "--enable-module-command",
        "local",
        "--protected-mode",
        "no",
      ]);
      expect({ kind, line: await callFrom("127.0.0.1", local.port, "DEBUG SLEEP 0") }).toEqual({ kind, line: "+OK" });
      expect({ kind, line: await callFrom("127.0.0.1", local.port, "MODULE UNLOAD nosuch") }).toEqual({
        kind,
        line: "-ERR Error unloading module: no such module with that name",
      });
      expect({ kind, line: (await callFrom("127.0.0.2", local.port, "DEBUG SLEEP 0")).slice(0, 33) }).toEqual({
        kind,
        line: "-ERR DEBUG command not allowed. I",
      });
      expect({ kind, line: (await callFrom("127.0.0.2", local.port, "MODULE UNLOAD nosuch")).slice(0, 35) }).toEqual({
        kind,
        line: "-ERR MODULE command not allowed. If",
      });
      const yes = await start(kind, ["--enable-debug-command", "yes", "--protected-mode", "no"]);
      expect({ kind, line: await callFrom("127.0.0.2", yes.port, "DEBUG SLEEP 0") }).toEqual({ kind, line: "+OK" });
      // Immutable at runtime.
      expect({ kind, line: await callFrom("127.0.0.1", yes.port, "CONFIG SET enable-debug-command no") }).toEqual({
        kind,
        line: "-ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config",
      });
    }
  }, 60_000);

  it("refuses a non-local peer in protected mode without a password, and serves it with protected-mode no or a password", async () => {
    const denied: string[] = [];
    for (const kind of KINDS) {
      const guarded = await start(kind, []);
      denied.push(await callFrom("127.0.0.2", guarded.port, "PING"));
      expect({ kind, line: await callFrom("127.0.0.1", guarded.port, "PING") }).toEqual({ kind, line: "+PONG" });
      const open = await start(kind, ["--protected-mode", "no"]);
      expect({ kind, line: await callFrom("127.0.0.2", open.port, "PING") }).toEqual({ kind, line: "+PONG" });
      const password = await start(kind, ["--requirepass", "secret"]);
      expect({ kind, line: await callFrom("127.0.0.2", password.port, "PING") }).toEqual({
        kind,
        line: "-NOAUTH Authentication required.",
      });
      // Turned off at runtime from a local connection, as the DENIED text suggests.
      expect({ kind, line: await callFrom("127.0.0.1", guarded.port, "CONFIG SET protected-mode no") }).toEqual({
        kind,
        line: "+OK",
      });
      expect({ kind, line: await callFrom("127.0.0.2", guarded.port, "PING") }).toEqual({ kind, line: "+PONG" });
    }
    expect(denied[0]).toMatch(/^-DENIED Redis is running in protected mode because protected mode is enabled/);
    expect(denied[0]).toBe(denied[1]);
  }, 60_000);

  it("answers CONFIG SET dir to a missing directory with strerror, keeping the old directory in effect and shown", async () => {
    for (const kind of KINDS) {
      const server = await start(kind, ["--enable-protected-configs", "yes"]);
      const connection = await RespConnection.open(server.port);
      expect({ kind, reply: await connection.call("CONFIG", "SET", "dir", "/nonexistent/x") }).toEqual({
        kind,
        reply: error("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory"),
      });
      expect({ kind, reply: await connection.call("CONFIG", "GET", "dir") }).toEqual({
        kind,
        reply: {
          type: "array",
          value: [
            { type: "bulk", value: "dir" },
            { type: "bulk", value: server.dir },
          ],
        },
      });
      await connection.call("SET", "k", "v");
      expect({ kind, reply: await connection.call("SAVE") }).toEqual({ kind, reply: status("OK") });
      expect(existsSync(join(server.dir, "dump.rdb"))).toBe(true);
      expect({ kind, reply: await connection.call("PING") }).toEqual({ kind, reply: status("PONG") });
      connection.close();
      expect(server.output()).not.toMatch(/internal error|\n\s+at /);
    }
  }, 60_000);

  it("refuses to start with --dir that does not exist, and does not create it", async () => {
    const missing = join(makeTempDir("missing-parent"), "does", "not", "exist");
    const outputs: string[] = [];
    for (const kind of KINDS) {
      const port = await findFreePort();
      const launched = launchServer(kind, ["--port", String(port), "--bind", "127.0.0.1", "--dir", missing]);
      const exit = await launched.exited;
      expect({ kind, code: exit.code }).toEqual({ kind, code: 1 });
      outputs.push(launched.output());
    }
    expect(existsSync(missing)).toBe(false);
    for (const output of outputs) {
      expect(output).toContain("*** FATAL CONFIG FILE ERROR");
      expect(output).toContain(`>>> 'dir "${missing}"'`);
      expect(output.trim().split("\n").at(-1)).toBe("No such file or directory");
    }
  }, 60_000);

  it("stays up and keeps serving when the final save of SIGTERM or SHUTDOWN fails, then exits once it can save", async () => {
    for (const kind of KINDS) {
      const server = await start(kind, ["--save", "900 1"]);
      const connection = await RespConnection.open(server.port);
      await connection.call("SET", "precious", "data");
      // A non-empty directory where the RDB file goes: rename() onto it fails, even for root.
      const blocker = join(server.dir, "dump.rdb");
      mkdirSync(blocker);
      writeFileSync(join(blocker, "keep"), "x");
      expect({ kind, reply: await connection.call("SHUTDOWN", "NOSAVE", "SAVE") }).toEqual({
        kind,
        reply: error("ERR syntax error"),
      });
      expect({ kind, reply: await connection.call("SHUTDOWN", "ABORT", "NOW") }).toEqual({
        kind,
        reply: error("ERR syntax error"),
      });
      process.kill(server.pid, "SIGTERM");
      await sleep(1500);
      expect({ kind, running: server.isRunning() }).toEqual({ kind, running: true });
      expect({ kind, reply: await connection.call("GET", "precious") }).toEqual({
        kind,
        reply: { type: "bulk", value: "data" },
      });
      expect(server.output()).toContain("Error trying to save the DB, can't exit.");
      expect(server.output()).toContain("Errors trying to shut down the server. Check the logs for more information.");
      expect({ kind, reply: await connection.call("SHUTDOWN") }).toEqual({
        kind,
        reply: error("ERR Errors trying to SHUTDOWN. Check logs."),
      });
      expect({ kind, reply: await connection.call("SET", "after", "failure") }).toEqual({ kind, reply: status("OK") });
      rmSync(blocker, { recursive: true });
      const exited = new Promise<number | null>((resolve) => server.child.once("exit", (code) => resolve(code)));
      expect(await connection.call("SHUTDOWN").catch(() => "closed")).toBe("closed");
      expect({ kind, code: await exited }).toEqual({ kind, code: 0 });
      expect(readFileSync(join(server.dir, "dump.rdb")).includes(Buffer.from("precious"))).toBe(true);
      connection.close();
    }
  }, 90_000);
});
