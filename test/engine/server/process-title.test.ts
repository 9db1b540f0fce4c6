// The process title (set-proc-title, proc-title-template) as /proc/<pid>/cmdline shows it, the way
// Redis 7.0's own "Process title set as expected" test reads it: every variable expanded, in full even
// when far longer than the original command line; a template with an unknown variable is refused with
// Redis's error, and set-proc-title no leaves the command line alone.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RespConnection } from "../../helpers/resp-client.ts";
import { findFreePort } from "../../../src/harness/engines/ports.ts";
import { ENGINE_BIN, launchServer, makeTempDir, spawnServer, waitForPing } from "../../helpers/servers.ts";

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

/** The command line as ps shows it (NULs as spaces, trailing ones dropped). */
function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0+$/, "").replaceAll("\0", " ");
}

describe.skipIf(process.platform !== "linux")("process title", () => {
  it("expands proc-title-template in full, from start-up and on CONFIG SET", async () => {
    const dir = makeTempDir("title");
    const socket = join(dir, "a-unix-socket-with-a-rather-long-name-so-the-title-outgrows-the-command-line");
    const config = join(dir, "engine.conf");
    const port = await findFreePort();
    writeFileSync(config, `port ${port}\ndir ${dir}\nsave ""\nunixsocket ${socket}\n`);
    const launched = launchServer("engine", [config]);
    const pid = launched.child.pid as number;
    stops.push(async () => {
      if (launched.isRunning()) process.kill(pid, "SIGTERM");
      await launched.exited;
      rmSync(dir, { recursive: true, force: true });
    });
    expect(await waitForPing(port, launched.isRunning, 15_000)).toBe(true);
    const server = { pid, port };
    expect(commandLine(server.pid)).toBe(`${ENGINE_BIN} 127.0.0.1:${server.port}`);
    const connection = await RespConnection.open(server.port);
    const template = "TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}";
    expect(await connection.call("CONFIG", "SET", "proc-title-template", template)).toEqual({
      type: "status",
      value: "OK",
    });
    const expected = `TEST ${ENGINE_BIN} 127.0.0.1:${server.port} ${server.port} 0 ${socket} ${config}`;
    expect(expected.length).toBeGreaterThan(200);
    expect(commandLine(server.pid)).toBe(expected);
    expect(await connection.call("CONFIG", "SET", "proc-title-template", "{invalid-var}")).toEqual({
      type: "error",
      value:
        "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables",
    });
    expect(commandLine(server.pid)).toBe(expected);
    // The environment, moved aside for the title, is intact: a background job's child inherits it.
    await connection.call("SET", "k", "v");
    await connection.call("CONFIG", "SET", "rdb-key-save-delay", "1000000");
    expect(await connection.call("BGSAVE")).toEqual({ type: "status", value: "Background saving started" });
    const child =
      execFileSync("ps", ["--ppid", String(pid), "-o", "pid="], { encoding: "utf8" })
        .trim()
        .split("\n")[0]
        ?.trim() ?? "";
    const environment = readFileSync(`/proc/${child}/environ`, "latin1").split("\0");
    expect(environment).toContain(`PATH=${process.env["PATH"] ?? ""}`);
    await connection.call("CONFIG", "SET", "rdb-key-save-delay", "0");
    expect(await connection.call("CONFIG", "SET", "proc-title-template", "short {port}")).toEqual({
      type: "status",
      value: "OK",
    });
    expect(commandLine(server.pid)).toBe(`short ${server.port}`);
    expect(await connection.call("PING")).toEqual({ type: "status", value: "PONG" });
    connection.close();
  });

  it("leaves the command line alone with set-proc-title no", async () => {
    const server = await spawnServer("engine", ["--set-proc-title", "no"]);
    stops.push(() => server.stop());
    expect(commandLine(server.pid)).toContain(`${ENGINE_BIN} --port ${server.port}`);
  });
});
