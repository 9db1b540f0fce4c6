// The blocking-client machinery (src/engine/server/blocking.ts) through a test-only command,
// BTAKE key [key ...] timeout: takes (deletes) the first string key that exists, or blocks until
// one is written. It shows the generic contract: FIFO serving after the writing command, serving
// after EXEC, timeouts, CLIENT UNBLOCK, disconnect cleanup, INFO blocked_clients, MULTI, and
// that a served write propagates what tryServe names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBlockTimeout } from "../../../src/engine/server/blocking.ts";
import { defineCommand } from "../../../src/engine/commands/types.ts";
import type { Client } from "../../../src/engine/server/context-types.ts";
import { waitForBlockedClients } from "../../helpers/blocked-clients.ts";
import { startInProcess, type InProcessServer } from "../../helpers/in-process-server.ts";
import type { RespConnection, Reply } from "../../helpers/resp-client.ts";

// Takes the string at key: replies [key, value], deletes it, propagates DEL key. False when absent.
function take(client: Client, key: string): boolean {
  const value = client.db.get(key);
  if (typeof value !== "string") return false;
  client.db.delete(key);
  client.server.keyspace.dirty += 1;
  client.reply.bulkArray([key, value]);
  client.propagate(["DEL", key]);
  return true;
}

const BTAKE = defineCommand({
  name: "btake",
  arity: -3,
  flags: ["write", "blocking"],
  keys: [1, -2, 1],
  handler: (client, argv) => {
    const deadlineMs = parseBlockTimeout(argv[argv.length - 1] as string);
    const keys = argv.slice(1, -1);
    for (const key of keys) if (take(client, key)) return;
    const blocking = client.server.blocking;
    if (!blocking.mayBlock(client)) {
      client.reply.nilArray();
      return;
    }
    blocking.block(client, { keys, deadlineMs, tryServe: take }, argv);
  },
});

let engine: InProcessServer;

beforeAll(async () => {
  engine = await startInProcess([], [BTAKE]);
});

afterAll(async () => {
  await engine?.stop();
});

async function blockedClients(connection: RespConnection): Promise<number> {
  const reply = await connection.call("INFO", "clients");
  const text = reply.type === "verbatim" || reply.type === "bulk" ? reply.value : "";
  return Number(/blocked_clients:(\d+)/.exec(text)?.[1]);
}

const bulkArray = (...values: string[]): Reply => ({
  type: "array",
  value: values.map((value) => ({ type: "bulk", value })),
});

describe("blocking clients", () => {
  it("serves waiting clients in the order they blocked, after the command that wrote the key", async () => {
    const [first, second, writer] = await Promise.all([engine.connect(), engine.connect(), engine.connect()]);
    const firstReply = first.call("BTAKE", "k1", "k2", "0");
    await waitForBlockedClients(writer, 1);
    const secondReply = second.call("BTAKE", "k2", "0");
    await waitForBlockedClients(writer, 2);
    expect(await blockedClients(writer)).toBe(2);
    engine.propagated.length = 0;
    expect(await writer.call("SET", "k2", "a")).toEqual({ type: "status", value: "OK" });
    expect(await firstReply).toEqual(bulkArray("k2", "a"));
    expect(await writer.call("SET", "k2", "b")).toEqual({ type: "status", value: "OK" });
    expect(await secondReply).toEqual(bulkArray("k2", "b"));
    expect(engine.propagated.map((entry) => entry.argv)).toEqual([
      ["SET", "k2", "a"],
      ["DEL", "k2"],
      ["SET", "k2", "b"],
      ["DEL", "k2"],
    ]);
    expect(await blockedClients(writer)).toBe(0);
  });

  it("serves after a whole EXEC, and a served client's queued commands run after its reply", async () => {
    const [waiter, writer] = await Promise.all([engine.connect(), engine.connect()]);
    const replies = waiter.pipeline([["BTAKE", "m", "0"], ["PING"], ["EXISTS", "m"]]);
    await waitForBlockedClients(writer, 1);
    await writer.call("MULTI");
    await writer.call("SET", "m", "1");
    await writer.call("SET", "m", "2");
    const exec = await writer.call("EXEC");
    expect(exec.type).toBe("array");
    expect(await replies).toEqual([
      bulkArray("m", "2"),
      { type: "status", value: "PONG" },
      { type: "integer", value: "0" },
    ]);
  });

  it("times out with a null array; inside MULTI it replies as a timeout at once", async () => {
    const waiter = await engine.connect();
    const startedAt = Date.now();
    expect(await waiter.call("BTAKE", "never", "0.1")).toEqual({ type: "nilarray" });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);
    await waiter.call("MULTI");
    await waiter.call("BTAKE", "never", "0");
    expect(await waiter.call("EXEC")).toEqual({ type: "array", value: [{ type: "nilarray" }] });
    expect(await waiter.call("BTAKE", "never", "-1")).toEqual({ type: "error", value: "ERR timeout is negative" });
    expect(await waiter.call("BTAKE", "never", "abc")).toEqual({
      type: "error",
      value: "ERR timeout is not a float or out of range",
    });
  });

  it("CLIENT UNBLOCK ends a wait with the timeout reply or the UNBLOCKED error", async () => {
    const [waiter, admin] = await Promise.all([engine.connect(), engine.connect()]);
    const id = await waiter.call("CLIENT", "ID");
    const idText = id.type === "integer" ? id.value : "";
    let reply = waiter.call("BTAKE", "u", "0");
    await waitForBlockedClients(admin, 1);
    expect(await admin.call("CLIENT", "UNBLOCK", idText)).toEqual({ type: "integer", value: "1" });
    expect(await reply).toEqual({ type: "nilarray" });
    reply = waiter.call("BTAKE", "u", "0");
    await waitForBlockedClients(admin, 1);
    expect(await admin.call("CLIENT", "UNBLOCK", idText, "ERROR")).toEqual({ type: "integer", value: "1" });
    expect(await reply).toEqual({ type: "error", value: "UNBLOCKED client unblocked via CLIENT UNBLOCK" });
    expect(await admin.call("CLIENT", "UNBLOCK", idText)).toEqual({ type: "integer", value: "0" });
    expect(await admin.call("CLIENT", "UNBLOCK", idText, "LATER")).toEqual({
      type: "error",
      value: "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
    });
  });

  it("forgets a client that disconnects while blocked", async () => {
    const [waiter, other] = await Promise.all([engine.connect(), engine.connect()]);
    void waiter.call("BTAKE", "gone", "0").catch(() => undefined);
    await waitForBlockedClients(other, 1);
    expect(await blockedClients(other)).toBe(1);
    const list = await other.call("CLIENT", "LIST");
    expect(list.type === "verbatim" || list.type === "bulk" ? list.value : "").toMatch(/flags=b /);
    waiter.close();
    await waitForBlockedClients(other, 0);
    expect(await blockedClients(other)).toBe(0);
    await other.call("SET", "gone", "x");
    expect(await other.call("GET", "gone")).toEqual({ type: "bulk", value: "x" });
  });
});
