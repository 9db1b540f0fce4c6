// MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP with Redis 7.0's reply shapes. Sizes are
// estimates of the JS heap a value holds (the engine has no allocator to ask per object).
import { ReplyError } from "../errors.ts";
import { estimateValueBytes } from "../keyspace/values.ts";
import type { Client } from "../server/context-types.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

const HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

// The dict entry, key object and robj header Redis counts on top of the value.
const KEY_OVERHEAD = 56;

function usage(client: Client, argv: string[]): void {
  if (argv.length !== 3 && argv.length !== 5) throw new ReplyError("ERR syntax error");
  if (argv.length === 5) {
    if ((argv[3] as string).toLowerCase() !== "samples") throw new ReplyError("ERR syntax error");
    if (!/^-?\d+$/.test(argv[4] as string)) throw new ReplyError("ERR value is not an integer or out of range");
    if (Number(argv[4]) < 0) throw new ReplyError("ERR syntax error");
  }
  const key = argv[2] as string;
  const value = client.db.get(key);
  if (value === undefined) {
    client.reply.nil();
    return;
  }
  client.reply.integer(KEY_OVERHEAD + key.length + estimateValueBytes(value));
}

function stats(client: Client): void {
  const memory = process.memoryUsage();
  const keys = client.server.keyspace.totalKeys;
  const fields: [string, number | string][] = [
    ["peak.allocated", memory.heapTotal],
    ["total.allocated", memory.heapUsed],
    ["startup.allocated", 0],
    ["replication.backlog", 0],
    ["clients.slaves", 0],
    ["clients.normal", 0],
    ["cluster.links", 0],
    ["aof.buffer", 0],
    ["lua.caches", 0],
    ["functions.caches", 0],
    ["overhead.total", 0],
    ["keys.count", keys],
    ["keys.bytes-per-key", keys === 0 ? 0 : Math.floor(memory.heapUsed / keys)],
    ["dataset.bytes", memory.heapUsed],
    ["dataset.percentage", "100"],
    ["peak.percentage", ((memory.heapUsed / Math.max(1, memory.heapTotal)) * 100).toFixed(2)],
    ["allocator.allocated", memory.heapUsed],
    ["allocator.active", memory.heapTotal],
    ["allocator.resident", memory.rss],
    ["allocator-fragmentation.ratio", "1.00"],
    ["allocator-fragmentation.bytes", 0],
    ["rss-overhead.ratio", "1.00"],
    ["rss-overhead.bytes", 0],
    ["fragmentation", (memory.rss / Math.max(1, memory.heapUsed)).toFixed(2)],
    ["fragmentation.bytes", memory.rss - memory.heapUsed],
  ];
  client.reply.map(fields.length);
  for (const [name, value] of fields) {
    client.reply.bulk(name);
    if (typeof value === "number") client.reply.integer(value);
    else client.reply.double(Number(value));
  }
}

/** MEMORY and its subcommands. */
export const MEMORY_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "memory",
    arity: -2,
    flags: ["readonly"],
    categories: ["@slow"],
    handler: (client, argv) => {
      const sub = (argv[1] as string).toLowerCase();
      if (sub === "help" && argv.length === 2) {
        client.reply.array(HELP.length);
        for (const line of HELP) client.reply.status(line);
      } else if (sub === "usage" && argv.length >= 3) {
        usage(client, argv);
      } else if (sub === "stats" && argv.length === 2) {
        stats(client);
      } else if (sub === "doctor" && argv.length === 2) {
        client.reply.verbatim(
          "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.",
        );
      } else if (sub === "malloc-stats" && argv.length === 2) {
        client.reply.verbatim("Stats not supported for the current allocator");
      } else if (sub === "purge" && argv.length === 2) {
        client.reply.ok();
      } else {
        throw new ReplyError(
          `ERR unknown subcommand or wrong number of arguments for '${(argv[1] as string).slice(0, 128)}'. Try MEMORY HELP.`,
        );
      }
    },
  }),
];
