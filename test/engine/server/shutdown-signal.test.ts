// The final save on SIGINT/SIGTERM does not block the engine's event loop: a second SIGINT while it
// runs ends the process at once (exit code 1) and removes the save's temp-<pid>.rdb, as Redis's signal
// handler does; without the second signal the save completes and the dump holds the data.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RespConnection } from "../../helpers/resp-client.ts";
import { sleep, spawnServer, type SpawnedServer } from "../../helpers/servers.ts";

const servers: SpawnedServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** Polls `condition` every 10 ms for up to `ms`. */
async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(10);
  }
  return condition();
}

/** The exit code of the server process, once it has exited. */
function exitCode(server: SpawnedServer): Promise<number | null> {
  return new Promise((resolve) => {
    if (!server.isRunning()) resolve(server.child.exitCode);
    else server.child.once("exit", (code) => resolve(code));
  });
}

async function startWithKeys(): Promise<SpawnedServer> {
  const server = await spawnServer("engine", ["--save", "900 1"]);
  servers.push(server);
  const connection = await RespConnection.open(server.port);
  for (let index = 0; index < 20; index += 1) await connection.call("SET", String(index), String(index));
  // 20 keys × 100 ms: the final save takes about 2 s.
  await connection.call("CONFIG", "SET", "rdb-key-save-delay", "100000");
  connection.close();
  return server;
}

describe("final save on a shutdown signal", () => {
  it("a second SIGINT during the final save exits at once and removes temp-<pid>.rdb", async () => {
    const server = await startWithKeys();
    const tempRdb = join(server.dir, `temp-${server.pid}.rdb`);
    process.kill(server.pid, "SIGINT");
    expect(await waitFor(() => existsSync(tempRdb), 1500)).toBe(true);
    const secondAt = Date.now();
    process.kill(server.pid, "SIGINT");
    const exit = await exitCode(server);
    expect(Date.now() - secondAt).toBeLessThan(1000);
    expect(exit).toBe(1);
    expect(existsSync(tempRdb)).toBe(false);
    expect(existsSync(join(server.dir, "dump.rdb"))).toBe(false);
    expect(server.output()).toContain("You insist... exiting now.");
  });

  it("without a second signal the final save completes and leaves the dump", async () => {
    const server = await startWithKeys();
    process.kill(server.pid, "SIGTERM");
    const exit = await exitCode(server);
    expect(exit).toBe(0);
    expect(existsSync(join(server.dir, "dump.rdb"))).toBe(true);
    expect(existsSync(join(server.dir, `temp-${server.pid}.rdb`))).toBe(false);
    expect(server.output()).toContain("DB saved on disk");
  });
});
