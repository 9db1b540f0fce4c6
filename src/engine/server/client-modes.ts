// Ending a connection's modes in one place (RESET and disconnect): its Pub/Sub subscriptions, MONITOR
// and CLIENT TRACKING.
import type { Client } from "./context-types.ts";
import { monitorsOf } from "./monitor.ts";
import { pubsubOf } from "./pubsub.ts";
import { trackingOf } from "./tracking.ts";

/** Unsubscribes the client from everything, ends MONITOR and turns tracking off, without replying. */
export function releaseClientModes(client: Client): void {
  const context = client.server;
  if (client.subscribedChannels.size > 0 || client.subscribedPatterns.size > 0) pubsubOf(context).dropClient(client);
  if (client.monitoring) monitorsOf(context).remove(client);
  if (client.tracking !== null) trackingOf(context).disable(client);
}
