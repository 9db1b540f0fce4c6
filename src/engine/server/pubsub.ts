// Pub/Sub state (Redis's server.pubsub_channels / pubsub_patterns): which clients subscribe to which
// channels and patterns, and delivering PUBLISHed messages into the subscribers' replies (pushes in
// RESP3, plain arrays in RESP2). A client's own sets live on the Client (subscribed mode, CLIENT LIST).
import { matchGlob } from "../util/glob.ts";
import type { Client, PubSub } from "./context-types.ts";

/** Channels and patterns with their subscribers, for one server. */
export class PubSubChannels implements PubSub {
  private readonly channels = new Map<string, Set<Client>>();
  private readonly patterns = new Map<string, Set<Client>>();

  /** SUBSCRIBE of one channel; false when the client already had it. */
  subscribe(client: Client, channel: string): boolean {
    return add(this.channels, client.subscribedChannels, client, channel);
  }

  /** UNSUBSCRIBE of one channel; false when the client did not have it. */
  unsubscribe(client: Client, channel: string): boolean {
    return remove(this.channels, client.subscribedChannels, client, channel);
  }

  /** PSUBSCRIBE of one pattern; false when the client already had it. */
  psubscribe(client: Client, pattern: string): boolean {
    return add(this.patterns, client.subscribedPatterns, client, pattern);
  }

  /** PUNSUBSCRIBE of one pattern; false when the client did not have it. */
  punsubscribe(client: Client, pattern: string): boolean {
    return remove(this.patterns, client.subscribedPatterns, client, pattern);
  }

  /** Drops every subscription of a client (disconnect, RESET) without replying. */
  dropClient(client: Client): void {
    for (const channel of [...client.subscribedChannels]) this.unsubscribe(client, channel);
    for (const pattern of [...client.subscribedPatterns]) this.punsubscribe(client, pattern);
  }

  /** PUBLISH: delivers to channel and pattern subscribers; returns how many deliveries were made. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers !== undefined) {
      for (const client of subscribers) {
        writeMessage(client, channel, message);
        receivers += 1;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!matchGlob(pattern, channel)) continue;
      for (const client of clients) {
        writePatternMessage(client, pattern, channel, message);
        receivers += 1;
      }
    }
    return receivers;
  }

  /** PUBSUB CHANNELS [pattern]: channels with at least one subscriber. */
  activeChannels(pattern: string | null): string[] {
    const names: string[] = [];
    for (const channel of this.channels.keys())
      if (pattern === null || matchGlob(pattern, channel)) names.push(channel);
    return names;
  }

  /** PUBSUB NUMSUB: subscribers of one channel. */
  subscriberCount(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** PUBSUB NUMPAT: distinct patterns subscribed to. */
  get patternCount(): number {
    return this.patterns.size;
  }
}

function add(index: Map<string, Set<Client>>, own: Set<string>, client: Client, name: string): boolean {
  if (own.has(name)) return false;
  own.add(name);
  let clients = index.get(name);
  if (clients === undefined) {
    clients = new Set();
    index.set(name, clients);
  }
  clients.add(client);
  return true;
}

function remove(index: Map<string, Set<Client>>, own: Set<string>, client: Client, name: string): boolean {
  if (!own.delete(name)) return false;
  const clients = index.get(name);
  clients?.delete(client);
  if (clients?.size === 0) index.delete(name);
  return true;
}

function writeMessage(client: Client, channel: string, message: string): void {
  const reply = client.reply;
  reply.push(3);
  reply.bulk("message");
  reply.bulk(channel);
  reply.bulk(message);
  client.server.wakeClient(client);
}

function writePatternMessage(client: Client, pattern: string, channel: string, message: string): void {
  const reply = client.reply;
  reply.push(4);
  reply.bulk("pmessage");
  reply.bulk(pattern);
  reply.bulk(channel);
  reply.bulk(message);
  client.server.wakeClient(client);
}
