// bench:rdb — BGSAVE of a large data set under load, and loading the resulting dump.
// 1. Starts the bundled engine (dist/), fills it with --keys string keys (default 1M), then runs a
//    closed-loop SET/GET load (--clients connections) plus a PING probe every ms. It measures, for a
//    quiet phase and during BGSAVE: command latency p50/p99/max and the longest probe latency (a
//    stall seen from a client, including the client's own pauses); the engine's longest event-loop
//    delay during the save and the part of it that was its own, CPU waits taken out (from its log);
//    the longest loop delay of an idle process at the same time (the machine's noise); save duration
//    and file size. Then the same for
//    redis-server 7.0 in the same run (its stall is the fork(), reported as latest_fork_usec), so the
//    client-side figures of both servers on this machine sit side by side.
// 2. Loads that same dump.rdb in the engine and in redis-server 7.0 (same run, same file) and
//    compares keys/s from their "DB loaded from disk" log lines. Goals: stall ≤ 5 ms, load ≥ 0.5× Redis.
// The machine is shared: figures are indicative; run it on a quiet machine for real numbers.
// Usage: npm run bench:rdb [-- --keys 1000000 --clients 4 --value-bytes 32 --json]
import { mkdtempSync, copyFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as hdr from "hdr-histogram-js";
import { Redis } from "ioredis";
import {
  flag,
  launchServer,
  sleep,
  startNoiseProbe,
  stopServer,
  type LaunchedServer,
  type NoiseFigures,
  requireQuietMachine,
} from "./support.ts";

const KEYS = flag("keys", 1_000_000);
const CLIENTS = flag("clients", 4);
const VALUE_BYTES = flag("value-bytes", 32);
const QUIET_MS = flag("quiet-ms", 3000);
const JSON_OUTPUT = process.argv.includes("--json");

const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Started extends LaunchedServer {
  output: () => string;
}

// Starts engine or redis-server and waits for "Ready to accept connections".
async function start(kind: "engine" | "redis", dir: string): Promise<Started> {
  const launched = await launchServer(kind, dir, [], "pipe");
  const { child } = launched;
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 300_000;
  while (!output.includes("Ready to accept connections")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${kind} did not start:\n${output}`);
    await sleep(20);
  }
  return { ...launched, output: () => output };
}

const stop = (server: Started): Promise<void> => stopServer(server);

function connect(port: number): Redis {
  const client = new Redis({ host: "127.0.0.1", port, protocol: 2, maxRetriesPerRequest: 0 } as never);
  client.on("error", () => {});
  return client;
}

async function fill(port: number): Promise<void> {
  const client = connect(port);
  const value = "v".repeat(Math.max(0, VALUE_BYTES - 8));
  const batch = 1000;
  const inFlight: Promise<unknown>[] = [];
  for (let start = 0; start < KEYS; start += batch) {
    const args: string[] = [];
    for (let index = start; index < Math.min(KEYS, start + batch); index += 1)
      args.push(`key:${index}`, `${index}:${value}`.slice(0, VALUE_BYTES));
    inFlight.push(client.call("MSET", ...args));
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  client.disconnect();
}

/** Latency figures of one phase, in ms. */
interface PhaseFigures {
  ops: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  probeMaxMs: number;
  probeP99Ms: number;
}

// Closed-loop SET/GET clients plus a 1 ms PING probe; `phase()` swaps histograms.
function startLoad(port: number): { phase: () => PhaseFigures; stop: () => Promise<void> } {
  const build = (): hdr.Histogram =>
    hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let commands = build();
  let probe = build();
  let running = true;
  const clients = Array.from({ length: CLIENTS }, () => connect(port));
  const loops = clients.map(async (client, clientIndex) => {
    let counter = clientIndex;
    while (running) {
      counter += 7919;
      const key = `key:${counter % KEYS}`;
      const started = performance.now();
      try {
        if (counter % 2 === 0) await client.call("SET", key, "updated-during-bench");
        else await client.call("GET", key);
      } catch {
        if (!running) break;
      }
      commands.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
    }
  });
  const prober = connect(port);
  const probeLoop = (async () => {
    while (running) {
      const started = performance.now();
      await prober.call("PING").catch(() => {});
      probe.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
      await sleep(1);
    }
  })();
  return {
    phase: () => {
      const figures: PhaseFigures = {
        ops: commands.totalCount,
        p50Ms: commands.getValueAtPercentile(50) / 1000,
        p99Ms: commands.getValueAtPercentile(99) / 1000,
        maxMs: commands.maxValue / 1000,
        probeMaxMs: probe.maxValue / 1000,
        probeP99Ms: probe.getValueAtPercentile(99) / 1000,
      };
      commands = build();
      probe = build();
      return figures;
    },
    stop: async () => {
      running = false;
      await Promise.all([...loops, probeLoop]);
      for (const client of [...clients, prober]) client.disconnect();
    },
  };
}

function loadedSeconds(output: string): number {
  const match = /DB loaded from disk: ([\d.]+) seconds/.exec(output);
  if (match === null) throw new Error(`no "DB loaded from disk" line in:\n${output}`);
  return Number(match[1]);
}

/** One server's BGSAVE under load. */
interface SaveFigures {
  quiet: PhaseFigures;
  during: PhaseFigures;
  status: string | undefined;
  saveSeconds: number;
  fileBytes: number;
  /** The engine: its own longest event-loop delay during the save; Redis: latest_fork_usec (its stall). */
  serverStallMs: number;
  /** The engine: the longest part of a stall that was its own (not waiting for a CPU); Redis: as serverStallMs. */
  ownStallMs: number;
  /** The engine: GC pause time within that own part, and the longest GC pause during the save (null: not reported). */
  ownStallGcMs: number | null;
  gcPauseMaxMs: number | null;
  /** What an idle process on the same machine saw at the same time (the scheduling noise floor). */
  quietNoise: NoiseFigures;
  duringNoise: NoiseFigures;
}

// Fills a fresh server, runs the load quiet then during BGSAVE, and collects the figures.
async function measureSave(kind: "engine" | "redis", dir: string): Promise<SaveFigures> {
  const server = await start(kind, dir);
  try {
    const fillStarted = performance.now();
    await fill(server.port);
    log(`${kind}: filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);
    const admin = connect(server.port);
    const load = startLoad(server.port);
    const noise = startNoiseProbe();
    await sleep(500);
    load.phase();
    await noise.phase();
    await sleep(QUIET_MS);
    const quiet = load.phase();
    const quietNoise = await noise.phase();
    const saveStarted = performance.now();
    const reply = await admin.call("BGSAVE");
    if (reply !== "Background saving started") throw new Error(`${kind} BGSAVE answered ${String(reply)}`);
    while (String(await admin.call("INFO", "persistence")).includes("rdb_bgsave_in_progress:1")) await sleep(20);
    const saveSeconds = (performance.now() - saveStarted) / 1000;
    const during = load.phase();
    const duringNoise = await noise.phase();
    noise.stop();
    const status = /rdb_last_bgsave_status:(\w+)/.exec(String(await admin.call("INFO", "persistence")))?.[1];
    // The engine logs the longest event-loop delay it saw during the save (a 1 ms timer) and its own part;
    // Redis blocks for the fork() only, which it reports as latest_fork_usec.
    await sleep(100);
    const serverStallMs =
      kind === "engine"
        ? Number(/longest event-loop stall ([\d.]+) ms/.exec(server.output())?.[1] ?? Number.NaN)
        : Number(/latest_fork_usec:(\d+)/.exec(String(await admin.call("INFO", "stats")))?.[1] ?? Number.NaN) / 1000;
    const ownStallMs =
      kind === "engine"
        ? Number(/([\d.]+) ms of it the engine's own/.exec(server.output())?.[1] ?? serverStallMs)
        : serverStallMs;
    const gcMatch =
      kind === "engine"
        ? /([\d.]+) ms of the own part in GC pauses, longest GC pause ([\d.]+) ms/.exec(server.output())
        : null;
    const ownStallGcMs = gcMatch === null ? null : Number(gcMatch[1]);
    const gcPauseMaxMs = gcMatch === null ? null : Number(gcMatch[2]);
    await load.stop();
    admin.disconnect();
    await stop(server);
    // BENCH_ENGINE_LOG=FILE keeps the saving engine's log (with BENCH_ENGINE_NODE_FLAGS=--trace-gc: its GC pauses).
    if (kind === "engine" && process.env["BENCH_ENGINE_LOG"] !== undefined)
      writeFileSync(process.env["BENCH_ENGINE_LOG"], server.output());
    const fileBytes = statSync(join(dir, "dump.rdb")).size;
    log(`${kind}: BGSAVE ${status} in ${saveSeconds.toFixed(2)} s, ${(fileBytes / 1024 / 1024).toFixed(1)} MiB`);
    return {
      quiet,
      during,
      status,
      saveSeconds,
      fileBytes,
      serverStallMs,
      ownStallMs,
      ownStallGcMs,
      gcPauseMaxMs,
      quietNoise,
      duringNoise,
    };
  } catch (error) {
    await stop(server).catch(() => {});
    throw error;
  }
}

await requireQuietMachine();
const dir = mkdtempSync(join(tmpdir(), "persistlab-bench-rdb-"));
try {
  log(`bench:rdb: ${KEYS} keys of ${VALUE_BYTES} bytes, ${CLIENTS} clients (shared machine: indicative figures)`);
  const engineSave = await measureSave("engine", dir);
  const redisDir = mkdtempSync(join(dir, "redis-save-"));
  const redisSave = await measureSave("redis", redisDir);
  const { quiet, during, status, saveSeconds, fileBytes } = engineSave;
  const engineStallMs = engineSave.serverStallMs;
  const engineOwnStallMs = engineSave.ownStallMs;

  // Load the same file in the engine and in redis-server, alternating, best of two each.
  const loadDir = (kind: string): string => {
    const target = mkdtempSync(join(dir, `load-${kind}-`));
    copyFileSync(join(dir, "dump.rdb"), join(target, "dump.rdb"));
    return target;
  };
  const loads: Record<"engine" | "redis", number[]> = { engine: [], redis: [] };
  for (let round = 0; round < 2; round += 1) {
    for (const kind of ["redis", "engine"] as const) {
      const server = await start(kind, loadDir(kind));
      loads[kind].push(loadedSeconds(server.output()));
      await stop(server);
    }
  }
  const engineLoad = Math.min(...loads.engine);
  const redisLoad = Math.min(...loads.redis);
  const result = {
    keys: KEYS,
    valueBytes: VALUE_BYTES,
    clients: CLIENTS,
    quiet,
    duringBgsave: during,
    bgsave: {
      status,
      seconds: Number(saveSeconds.toFixed(3)),
      fileBytes,
      engineLongestStallMs: engineStallMs,
      engineOwnLongestStallMs: engineOwnStallMs,
      engineOwnStallGcMs: engineSave.ownStallGcMs,
      engineGcPauseMaxMs: engineSave.gcPauseMaxMs,
    },
    machineNoise: {
      engineQuiet: engineSave.quietNoise,
      engineBgsave: engineSave.duringNoise,
      redisQuiet: redisSave.quietNoise,
      redisBgsave: redisSave.duringNoise,
    },
    redis: {
      quiet: redisSave.quiet,
      duringBgsave: redisSave.during,
      bgsaveSeconds: Number(redisSave.saveSeconds.toFixed(3)),
      fileBytes: redisSave.fileBytes,
      forkMs: redisSave.serverStallMs,
    },
    load: {
      engineSeconds: engineLoad,
      redisSeconds: redisLoad,
      engineKeysPerSec: Math.round(KEYS / engineLoad),
      redisKeysPerSec: Math.round(KEYS / redisLoad),
      ratio: Number((redisLoad / engineLoad).toFixed(2)),
    },
    goals: {
      stallMs: {
        goal: 5,
        measured: engineOwnStallMs,
        met: engineOwnStallMs <= 5,
        note: "the engine's own part of its longest event-loop stall (time waiting for a CPU taken out)",
      },
      loadRatio: {
        goal: 0.5,
        measured: Number((redisLoad / engineLoad).toFixed(2)),
        met: redisLoad / engineLoad >= 0.5,
      },
    },
  };
  if (JSON_OUTPUT) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else {
    const row = (name: string, figures: PhaseFigures): string =>
      `${name.padEnd(14)} ${String(figures.ops).padStart(8)} ops  p50 ${figures.p50Ms.toFixed(2)} ms  p99 ${figures.p99Ms.toFixed(2)} ms  max ${figures.maxMs.toFixed(1)} ms  probe p99 ${figures.probeP99Ms.toFixed(2)} ms  longest stall (probe max) ${figures.probeMaxMs.toFixed(1)} ms`;
    process.stdout.write(
      [
        `bench:rdb  ${KEYS} keys × ${VALUE_BYTES} B, ${CLIENTS} clients, node ${process.version}`,
        row("quiet", quiet),
        row("during BGSAVE", during),
        `BGSAVE         ${status}, ${saveSeconds.toFixed(2)} s, file ${(fileBytes / 1024 / 1024).toFixed(1)} MiB, longest event-loop stall in the engine ${engineStallMs.toFixed(1)} ms, ${engineOwnStallMs.toFixed(1)} ms of it the engine's own (the rest waiting for a CPU)${engineSave.ownStallGcMs === null || engineSave.gcPauseMaxMs === null ? "" : `; ${engineSave.ownStallGcMs.toFixed(1)} ms of the own part in GC pauses, longest GC pause ${engineSave.gcPauseMaxMs.toFixed(1)} ms`}`,
        `machine noise  an idle process's longest event-loop delay at the same time: quiet ${engineSave.quietNoise.maxMs.toFixed(1)} ms, during BGSAVE ${engineSave.duringNoise.maxMs.toFixed(1)} ms (p99 ${engineSave.duringNoise.p99Ms.toFixed(1)} ms)${engineSave.duringNoise.ownMaxMs === null ? "" : `, ${engineSave.duringNoise.ownMaxMs.toFixed(1)} ms of it its "own" (the engine's own figure measured on a process doing nothing)`}`,
        row("redis quiet", redisSave.quiet),
        row("redis BGSAVE", redisSave.during),
        `redis BGSAVE   ${redisSave.status}, ${redisSave.saveSeconds.toFixed(2)} s, file ${(redisSave.fileBytes / 1024 / 1024).toFixed(1)} MiB, fork() stall (latest_fork_usec) ${redisSave.serverStallMs.toFixed(1)} ms`,
        `load           engine ${engineLoad.toFixed(3)} s (${result.load.engineKeysPerSec} keys/s)  redis-server ${redisLoad.toFixed(3)} s (${result.load.redisKeysPerSec} keys/s)  ratio ${result.load.ratio}×`,
        `goals          stall ≤ 5 ms: ${result.goals.stallMs.met ? "met" : "NOT met"} (engine's own ${engineOwnStallMs.toFixed(1)} ms; ${engineStallMs.toFixed(1)} ms with CPU waits, ${during.probeMaxMs.toFixed(1)} ms seen by the probe${engineSave.duringNoise.maxMs > 5 ? `; an idle process saw ${engineSave.duringNoise.maxMs.toFixed(1)} ms at the same time, so this machine cannot show a 5 ms stall` : ""})   load ≥ 0.5× Redis: ${result.goals.loadRatio.met ? "met" : "NOT met"} (${result.load.ratio}×)`,
        "",
      ].join("\n"),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
