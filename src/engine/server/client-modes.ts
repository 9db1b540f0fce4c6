// Ending a connection's modes in one place (RESET and disconnect): its Pub/Sub subscriptions, MONITOR
// and CLIENT TRACKING.
import type { Client } from "./context-types.ts";

/** Unsubscribes the client from everything, ends MONITOR and turns tracking off, without replying. */
export function releaseClientModes(client: Client): void {
  const context = client.server;
  if (client.subscribedChannels.size > 0 || client.subscribedPatterns.size > 0) context.pubsub.dropClient(client);
  if (client.monitoring) context.monitors.remove(client);
  if (client.tracking !== null) context.tracking.disable(client);
}
