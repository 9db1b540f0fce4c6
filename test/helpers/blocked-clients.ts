// Waits until a server reports a number of blocked clients (INFO clients), so a test writes to a
// key only once the client that should be served is really waiting (no sleeps that load can beat).
import type { RespConnection } from "./resp-client.ts";

/** Polls INFO clients on `connection` until blocked_clients is `count`; throws after `timeoutMs`. */
export async function waitForBlockedClients(
  connection: RespConnection,
  count: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await connection.call("INFO", "clients");
    const text = reply.type === "verbatim" || reply.type === "bulk" ? reply.value : "";
    const blocked = Number(/blocked_clients:(\d+)/.exec(text)?.[1]);
    if (blocked === count) return;
    if (Date.now() > deadline) throw new Error(`blocked_clients stayed ${blocked}, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
