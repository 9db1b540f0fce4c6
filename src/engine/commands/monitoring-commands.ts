// SLOWLOG GET|LEN|RESET|HELP and LATENCY LATEST|HISTORY|RESET|DOCTOR|GRAPH|HELP (Redis 7.0's
// slowlog.c and latency.c) over the state of server/monitoring.ts.
import { ReplyError } from "../errors.ts";
import type { Client } from "../server/context-types.ts";
import { parseRangedInteger } from "./arguments.ts";
import { defineCommand, type CommandSpec } from "./types.ts";

function replyHelp(client: Client, command: string, lines: readonly string[]): void {
  const all = [
    `${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    "HELP",
    "    Prints this help.",
  ];
  client.reply.array(all.length);
  for (const line of all) client.reply.status(line);
}

const SLOWLOG_HELP = [
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
];

function slowlogGet(client: Client, argv: string[]): void {
  const monitoring = client.server.monitoring;
  let count = 10;
  if (argv.length === 3) {
    count = Number(
      parseRangedInteger(
        argv[2] as string,
        -1n,
        9223372036854775807n,
        "ERR count should be greater than or equal to -1",
      ),
    );
    if (count === -1) count = monitoring.slowlog.length;
  }
  const entries = monitoring.slowlog.slice(0, count);
  const reply = client.reply;
  reply.array(entries.length);
  for (const entry of entries) {
    reply.array(6);
    reply.integer(entry.id);
    reply.integer(entry.unixSeconds);
    reply.integer(entry.durationUs);
    reply.bulkArray(entry.argv);
    reply.bulk(entry.peer);
    reply.bulk(entry.clientName);
  }
}

const LATENCY_HELP = [
  "DOCTOR",
  "    Return a human readable latency analysis report.",
  "GRAPH <event>",
  "    Return an ASCII latency graph for the <event> class.",
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
  "HISTOGRAM [COMMAND ...]",
  "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
  "    If no commands are specified then all histograms are replied.",
];

function latencyLatest(client: Client): void {
  const monitoring = client.server.monitoring;
  const reply = client.reply;
  reply.array(monitoring.latency.size);
  for (const [event, series] of monitoring.latency) {
    const samples = monitoring.samples(event);
    const last = samples[samples.length - 1];
    reply.array(4);
    reply.bulk(event);
    reply.integer(last?.unixSeconds ?? 0);
    reply.integer(last?.latencyMs ?? 0);
    reply.integer(series.maxMs);
  }
}

function latencyHistory(client: Client, argv: string[]): void {
  const samples = client.server.monitoring.samples(argv[2] as string);
  client.reply.array(samples.length);
  for (const sample of samples) {
    client.reply.array(2);
    client.reply.integer(sample.unixSeconds);
    client.reply.integer(sample.latencyMs);
  }
}

function latencyReset(client: Client, argv: string[]): void {
  const latency = client.server.monitoring.latency;
  if (argv.length === 2) {
    const count = latency.size;
    latency.clear();
    client.reply.integer(count);
    return;
  }
  let resets = 0;
  for (const event of argv.slice(2)) if (latency.delete(event)) resets += 1;
  client.reply.integer(resets);
}

// As createLatencyReport: per event its spikes, average, mean deviation, period and worst.
function latencyDoctor(client: Client): void {
  const monitoring = client.server.monitoring;
  if (monitoring.latency.size === 0 && monitoring.latencyThreshold === 0) {
    client.reply.verbatim(
      "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n",
    );
    return;
  }
  if (monitoring.latency.size === 0) {
    client.reply.verbatim(
      "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep tonight.\n",
    );
    return;
  }
  let report =
    "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let number = 0;
  const now = Math.floor(Date.now() / 1000);
  for (const [event, series] of monitoring.latency) {
    number += 1;
    const samples = monitoring.samples(event);
    const count = samples.length;
    const sum = samples.reduce((total, sample) => total + sample.latencyMs, 0);
    const average = count === 0 ? 0 : Math.floor(sum / count);
    const deviation =
      count === 0
        ? 0
        : Math.floor(samples.reduce((total, sample) => total + Math.abs(sample.latencyMs - average), 0) / count);
    const oldest = count === 0 ? now : Math.min(...samples.map((sample) => sample.unixSeconds));
    const period = Math.max(1, now - oldest);
    report += `${number}. ${event}: ${count} latency spikes (average ${average}ms, mean deviation ${deviation}ms, period ${(period / Math.max(1, count)).toFixed(2)} sec). Worst all time event ${series.maxMs}ms.\n`;
  }
  report +=
    "\nI have a few advices for you:\n\n- Check your system for other processes competing for the CPU (the engine runs one event loop, as Redis does).\n";
  client.reply.verbatim(report);
}

function latencyGraph(client: Client, argv: string[]): void {
  const event = argv[2] as string;
  const monitoring = client.server.monitoring;
  const series = monitoring.latency.get(event);
  if (series === undefined) throw new ReplyError(`ERR No samples available for event '${event}'`);
  const samples = monitoring.samples(event);
  const max = Math.max(1, ...samples.map((sample) => sample.latencyMs));
  const min = Math.min(...samples.map((sample) => sample.latencyMs));
  const rows = 4;
  let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${series.maxMs} ms)\n${"-".repeat(80)}\n`;
  for (let row = rows; row >= 1; row -= 1) {
    graph += samples.map((sample) => (sample.latencyMs * rows >= row * max ? "#" : " ")).join("") + "\n";
  }
  client.reply.verbatim(graph);
}

// LATENCY HISTOGRAM [command ...]: per command full name, its calls and cumulative µs buckets. A
// name that is no command is skipped; a container (`client`) stands for its subcommands too.
function latencyHistogram(client: Client, argv: string[]): void {
  const histograms = client.server.monitoring.histograms;
  const recorded = histograms.names();
  let names = recorded;
  if (argv.length > 2) {
    const commands = client.server.commands;
    const wanted = new Set<string>();
    for (const arg of argv.slice(2)) {
      const name = arg.toLowerCase();
      const [parent, sub] = name.split("|") as [string, string | undefined];
      const spec = commands.get(parent);
      if (spec === undefined) continue;
      if (
        sub !== undefined &&
        spec.subcommands !== undefined &&
        spec.subcommands.length > 0 &&
        !spec.subcommands.some((child) => child.name === sub)
      )
        continue;
      for (const fullName of recorded) if (fullName === name || fullName.startsWith(`${name}|`)) wanted.add(fullName);
    }
    names = recorded.filter((fullName) => wanted.has(fullName));
  }
  const reply = client.reply;
  reply.map(names.length);
  for (const name of names) {
    const histogram = histograms.get(name);
    if (histogram === undefined) continue;
    reply.bulk(name);
    reply.map(2);
    reply.bulk("calls");
    reply.integer(histogram.calls);
    reply.bulk("histogram_usec");
    reply.map(histogram.cumulative.length);
    for (const [micros, count] of histogram.cumulative) {
      reply.integer(micros);
      reply.integer(count);
    }
  }
}

const SUB = (
  name: string,
  arity: number,
  handler: (client: Client, argv: string[]) => void,
  flags: ("admin" | "noscript" | "loading" | "stale")[] = ["admin", "noscript", "loading", "stale"],
): CommandSpec => defineCommand({ name, arity, flags, handler });

const SLOWLOG_SUBCOMMANDS: readonly CommandSpec[] = [
  SUB("get", -2, slowlogGet),
  SUB("len", 2, (client) => client.reply.integer(client.server.monitoring.slowlog.length)),
  SUB("reset", 2, (client) => {
    client.server.monitoring.slowlog = [];
    client.reply.ok();
  }),
  SUB("help", 2, (client) => replyHelp(client, "SLOWLOG", SLOWLOG_HELP), ["loading", "stale"]),
];

const LATENCY_SUBCOMMANDS: readonly CommandSpec[] = [
  SUB("latest", 2, latencyLatest),
  SUB("history", 3, latencyHistory),
  SUB("reset", -2, latencyReset),
  SUB("doctor", 2, latencyDoctor),
  SUB("graph", 3, latencyGraph),
  SUB("histogram", -2, latencyHistogram),
  SUB("help", 2, (client) => replyHelp(client, "LATENCY", LATENCY_HELP), ["loading", "stale"]),
];

// The dispatcher has checked the subcommand's name and arity: run its handler.
function bySubcommand(subcommands: readonly CommandSpec[]): (client: Client, argv: string[]) => void {
  const byName = new Map(subcommands.map((spec) => [spec.name, spec.handler]));
  return (client, argv) => byName.get((argv[1] as string).toLowerCase())?.(client, argv);
}

/** SLOWLOG and LATENCY specs. */
export const MONITORING_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "slowlog",
    arity: -2,
    flags: ["admin", "loading", "stale"],
    handler: bySubcommand(SLOWLOG_SUBCOMMANDS),
    subcommands: SLOWLOG_SUBCOMMANDS,
  }),
  defineCommand({
    name: "latency",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    handler: bySubcommand(LATENCY_SUBCOMMANDS),
    subcommands: LATENCY_SUBCOMMANDS,
  }),
];
