// Redis's islocalClient(): a unix-socket client, or a TCP peer whose address is exactly 127.0.0.1
// or ::1 (127.0.0.2 is not local for Redis). Used by protected-mode and the protected actions.
import type { Client } from "./context-types.ts";
import type { ProtectedAction } from "../config/settings.ts";

const LOOPBACK_PEERS = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** True when Redis would call this client local. */
export function isLocalClient(client: Client): boolean {
  if (client.isFake) return true;
  const socket = client.socket;
  if (socket === null) return true;
  return isLocalPeer(socket.remoteAddress);
}

/** Redis's test on a peer address: a unix socket (no address), 127.0.0.1 or ::1. */
export function isLocalPeer(peer: string | undefined): boolean {
  return peer === undefined || LOOPBACK_PEERS.has(peer);
}

/** Redis's allowProtectedAction(): "yes", or "local" for a local client. */
export function allowProtectedAction(mode: ProtectedAction, client: Client): boolean {
  return mode === "yes" || (mode === "local" && isLocalClient(client));
}
