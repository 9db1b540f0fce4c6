// Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB, with Redis 7.0's
// replies (a confirmation per channel carrying the client's subscription count; push frames in RESP3).
// The state lives in server/pubsub.ts; the RESP2 subscribed-mode restriction is the dispatcher's.
import { ERRORS, ReplyError } from "../errors.ts";
import type { Client } from "../server/context-types.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

/** Channels plus patterns: the count every (un)subscribe confirmation carries. */
function subscriptionCount(client: Client): number {
  return client.subscribedChannels.size + client.subscribedPatterns.size;
}

// One confirmation: [kind, channel or nil, count].
function confirm(client: Client, kind: string, name: string | null): void {
  const reply = client.reply;
  reply.push(3);
  reply.bulk(kind);
  if (name === null) reply.nil();
  else reply.bulk(name);
  reply.integer(subscriptionCount(client));
}

/** UNSUBSCRIBE / PUNSUBSCRIBE of `names`, or of everything the client has when none are named. */
function unsubscribeMany(client: Client, kind: "unsubscribe" | "punsubscribe", names: readonly string[]): void {
  const pubsub = client.server.pubsub;
  const own = kind === "unsubscribe" ? client.subscribedChannels : client.subscribedPatterns;
  const drop = (name: string): void => {
    if (kind === "unsubscribe") pubsub.unsubscribe(client, name);
    else pubsub.punsubscribe(client, name);
    confirm(client, kind, name);
  };
  if (names.length > 0) {
    for (const name of names) drop(name);
    return;
  }
  if (own.size === 0) {
    confirm(client, kind, null);
    return;
  }
  for (const name of [...own]) drop(name);
}

const PUBSUB_HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

function pubsubCommand(client: Client, argv: string[]): void {
  const pubsub = client.server.pubsub;
  const sub = (argv[1] as string).toLowerCase();
  const reply = client.reply;
  switch (sub) {
    case "help":
      reply.array(PUBSUB_HELP.length);
      for (const line of PUBSUB_HELP) reply.status(line);
      return;
    case "channels":
      if (argv.length > 3) throw new ReplyError(ERRORS.arity("pubsub|channels"));
      reply.bulkArray(pubsub.activeChannels(argv.length === 3 ? (argv[2] as string) : null));
      return;
    case "numsub":
      reply.array((argv.length - 2) * 2);
      for (const channel of argv.slice(2)) {
        reply.bulk(channel);
        reply.integer(pubsub.subscriberCount(channel));
      }
      return;
    case "numpat":
      if (argv.length !== 2) throw new ReplyError(ERRORS.arity("pubsub|numpat"));
      reply.integer(pubsub.patternCount);
      return;
    // Sharded Pub/Sub (SSUBSCRIBE) is not in the engine, so no client holds a shard channel.
    case "shardchannels":
      if (argv.length > 3) throw new ReplyError(ERRORS.arity("pubsub|shardchannels"));
      reply.array(0);
      return;
    case "shardnumsub":
      reply.array((argv.length - 2) * 2);
      for (const channel of argv.slice(2)) {
        reply.bulk(channel);
        reply.integer(0);
      }
      return;
    default:
      throw new ReplyError(ERRORS.unknownSubcommand(argv[1] as string, "pubsub"));
  }
}

const PUBSUB_FLAGS = ["pubsub", "noscript", "loading", "stale"] as const;

/** Pub/Sub command specs. */
export const PUBSUB_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "subscribe",
    arity: -2,
    flags: PUBSUB_FLAGS,
    categories: ["@pubsub", "@slow"],
    handler: (client, argv) => {
      const pubsub = client.server.pubsub;
      for (const channel of argv.slice(1)) {
        pubsub.subscribe(client, channel);
        confirm(client, "subscribe", channel);
      }
    },
  }),
  defineCommand({
    name: "unsubscribe",
    arity: -1,
    flags: PUBSUB_FLAGS,
    categories: ["@pubsub", "@slow"],
    handler: (client, argv) => unsubscribeMany(client, "unsubscribe", argv.slice(1)),
  }),
  defineCommand({
    name: "psubscribe",
    arity: -2,
    flags: PUBSUB_FLAGS,
    categories: ["@pubsub", "@slow"],
    handler: (client, argv) => {
      const pubsub = client.server.pubsub;
      for (const pattern of argv.slice(1)) {
        pubsub.psubscribe(client, pattern);
        confirm(client, "psubscribe", pattern);
      }
    },
  }),
  defineCommand({
    name: "punsubscribe",
    arity: -1,
    flags: PUBSUB_FLAGS,
    categories: ["@pubsub", "@slow"],
    handler: (client, argv) => unsubscribeMany(client, "punsubscribe", argv.slice(1)),
  }),
  defineCommand({
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    categories: ["@pubsub", "@fast"],
    handler: (client, argv) => client.reply.integer(client.server.pubsub.publish(argv[1] as string, argv[2] as string)),
  }),
  defineCommand({
    name: "pubsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    categories: ["@pubsub", "@slow"],
    handler: pubsubCommand,
  }),
];

/** Whether the client is in RESP2 subscribed mode (only (P)SUBSCRIBE, (P)UNSUBSCRIBE, PING, QUIT, RESET run). */
export function inSubscribedMode(client: Client): boolean {
  return client.reply.protocol === 2 && (client.subscribedChannels.size > 0 || client.subscribedPatterns.size > 0);
}

/** Commands a RESP2 client in subscribed mode may still run. */
export const SUBSCRIBED_MODE_COMMANDS: ReadonlySet<string> = new Set([
  "ping",
  "subscribe",
  "unsubscribe",
  "psubscribe",
  "punsubscribe",
  "ssubscribe",
  "sunsubscribe",
  "quit",
  "reset",
]);
