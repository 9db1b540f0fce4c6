// Shared pieces of the bench scripts: command-line flags, free loopback ports, spawning the built engine
// or redis-server and waiting until it answers PING, stopping it by its own PID, redis-benchmark CSV
// parsing, /proc readings (RSS) of a server process, the busy-machine check every bench runs first, and
// the CPU steal of each measurement, so paired ratios can leave out rounds the hypervisor depressed.
import { execa } from "execa";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { connect } from "node:net";
import { findFreePort } from "../src/harness/engines/ports.ts";
import { killDescendants } from "../src/harness/nemesis/process-tree.ts";
import { CpuStealMeter, NOISY_STEAL_PCT, readCpuTimes } from "../src/harness/stats/cpu-steal.ts";
import { ENGINE_NODE_FLAGS } from "../src/engine/server/heap-flags.ts";

/** The built engine entry point (npm run build first). */
export const ENGINE_BIN = new URL("../dist/bin/persistlab-server.js", import.meta.url).pathname;

/** A numeric --flag value from the command line, or `fallback`. */
export const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

/** A text --flag value from the command line, or undefined. */
export const textFlag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The middle value (upper middle for even counts); 0 for none. */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** The median of per-round ratios a[i] / b[i] (rounds measured back to back, so the VM's drift between rounds cancels). */
export const pairedRatio = (measured: readonly number[], reference: readonly number[]): number =>
  median(measured.map((value, round) => value / (reference[round] as number)));

/** One measurement and the machine's CPU steal while it ran (% of all CPUs' time; null where /proc/stat is missing). */
export interface StealSample {
  readonly value: number;
  readonly stealPct: number | null;
}

/** Steal above this (% of all CPU time, `--max-steal N`) during either half of a round sets the round aside. */
export const MAX_ROUND_STEAL_PCT = flag("max-steal", NOISY_STEAL_PCT);

/**
 * Runs one measurement and reads the machine's CPU steal over it: on a shared VM the hypervisor can take a
 * third of the CPU time for minutes, and a round measured then compares two different machines.
 */
export async function measureWithSteal(measure: () => Promise<number>): Promise<StealSample> {
  const meter = new CpuStealMeter(availableParallelism());
  meter.start();
  const value = await measure();
  meter.stop();
  const noise = meter.result();
  return { value, stealPct: noise.measured ? noise.cpuStealPct : null };
}

/** A paired ratio over the clean rounds, and how many rounds that is. */
export interface CleanRatio {
  readonly ratio: number;
  readonly clean: number;
  readonly rounds: number;
  /** How the ratio was formed, for the printout ("3 of 5 rounds clean", or why every round counted). */
  readonly note: string;
}

/** Whether a measurement saw at most MAX_ROUND_STEAL_PCT steal (one that could not read steal counts as clean). */
export function isCleanSample(sample: StealSample): boolean {
  return (sample.stealPct ?? 0) <= MAX_ROUND_STEAL_PCT;
}

/**
 * The median per-round ratio measured ÷ reference over rounds where neither measurement saw more than
 * MAX_ROUND_STEAL_PCT steal. When no round is clean, every round counts and the note says so.
 */
export function cleanPairedRatio(measured: readonly StealSample[], reference: readonly StealSample[]): CleanRatio {
  const rounds = Math.min(measured.length, reference.length);
  const clean: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const a = measured[round] as StealSample;
    const b = reference[round] as StealSample;
    if (isCleanSample(a) && isCleanSample(b)) clean.push(a.value / b.value);
  }
  if (clean.length > 0)
    return {
      ratio: median(clean),
      clean: clean.length,
      rounds,
      note: `${clean.length} of ${rounds} rounds clean (steal ≤ ${MAX_ROUND_STEAL_PCT}%)`,
    };
  const all = pairedRatio(
    measured.map((s) => s.value),
    reference.map((s) => s.value),
  );
  return {
    ratio: all,
    clean: 0,
    rounds,
    note: `NO clean round (steal > ${MAX_ROUND_STEAL_PCT}% in every pair): ratio over all ${rounds} rounds, depressed by the machine`,
  };
}

/** "41200 (0.3%)" for each sample (the percentage is its steal), for the per-round printout. */
export function describeSamples(samples: readonly StealSample[]): string {
  return samples.map((s) => `${Math.round(s.value)}${s.stealPct === null ? "" : ` (${s.stealPct}%)`}`).join(" ");
}

/** A server child process on a loopback port. */
export interface LaunchedServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly pid: number;
}

/**
 * Spawns the engine (node ENGINE_BIN) or redis-server on a free loopback port with `--dir dir --save ""`
 * plus `extraArgs`; does not wait for readiness. stdio "pipe" lets the caller read its log.
 */
export async function launchServer(
  kind: "engine" | "redis",
  dir: string,
  extraArgs: readonly string[] = [],
  stdio: "ignore" | "pipe" = "ignore",
  extraEnv: Record<string, string> = {},
): Promise<LaunchedServer> {
  const port = await findFreePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", ...extraArgs];
  // The engine starts with its own heap flags, as its binary does. BENCH_ENGINE_NODE_FLAGS (e.g. "--trace-gc",
  // or "--max-semi-space-size=16" to override) adds V8/Node flags after them, for investigations.
  const nodeFlags = (process.env["BENCH_ENGINE_NODE_FLAGS"] ?? "").split(" ").filter((flag) => flag !== "");
  const env = { ...process.env, ...extraEnv };
  const child =
    kind === "engine"
      ? spawn(process.execPath, [...ENGINE_NODE_FLAGS, ...nodeFlags, ENGINE_BIN, ...args], { stdio, env })
      : spawn("redis-server", args, { stdio, env });
  return { child, port, pid: child.pid as number };
}

// One PING round trip: true when the first reply is +PONG.
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.on("error", () => resolve(false));
    socket.on("data", (data) => (socket.destroy(), resolve(data.toString().startsWith("+PONG"))));
  });
}

/** Polls PING every 50 ms until +PONG; SIGKILLs the child (by PID) and throws when it exits or `timeoutMs` passes. */
export async function waitForPong(server: LaunchedServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && server.child.exitCode === null) {
    if (await pingOnce(server.port)) return;
    await sleep(50);
  }
  await stopServer(server);
  throw new Error(`server on port ${server.port} did not become ready`);
}

/**
 * Stops a server by its PID: SIGKILL, or SIGTERM first when `graceMs` is given (SIGKILL after it); waits for the
 * exit. A SIGKILL takes the server's fork children too (a Redis BGSAVE or rewrite child outlives its parent and
 * would go on writing into a directory the caller is about to remove).
 */
export async function stopServer(server: LaunchedServer, graceMs?: number): Promise<void> {
  const hasExited = (): boolean => server.child.exitCode !== null || server.child.signalCode !== null;
  if (hasExited()) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  const killTree = async (): Promise<void> => {
    if (hasExited()) return;
    await killDescendants(server.pid);
    process.kill(server.pid, "SIGKILL");
  };
  if (graceMs === undefined) {
    await killTree();
    await exited;
    return;
  }
  process.kill(server.pid, "SIGTERM");
  const timer = setTimeout(() => void killTree(), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Options of one redis-benchmark run (--csv, one test). */
export interface RedisBenchmarkOptions {
  readonly host?: string;
  readonly port: number;
  readonly test: "set" | "get";
  readonly clients: number;
  readonly pipeline: number;
  readonly valueBytes: number;
  readonly keyspace: number;
  readonly requests: number;
}

/** Requests per second redis-benchmark reports for one test; throws with its output when it printed none. */
export async function redisBenchmark(options: RedisBenchmarkOptions): Promise<number> {
  const args = [
    "-h",
    options.host ?? "127.0.0.1",
    "-p",
    String(options.port),
    "-c",
    String(options.clients),
    "-P",
    String(options.pipeline),
    "-d",
    String(options.valueBytes),
    "-r",
    String(options.keyspace),
    "-t",
    options.test,
    "-n",
    String(options.requests),
    "--csv",
  ];
  const result = await execa("redis-benchmark", args, { reject: false });
  const name = options.test.toUpperCase();
  const line = String(result.stdout)
    .split("\n")
    .find((text) => text.startsWith(`"${name}"`));
  if (line === undefined)
    throw new Error(`redis-benchmark printed no ${name} line: ${String(result.stderr) || String(result.stdout)}`);
  return Number((JSON.parse(`[${line}]`) as unknown[])[1]);
}

/** Resident set size of a process in MB (VmRSS from /proc/<pid>/status); NaN when not shown. */
export function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? NaN : Number(match[1]) / 1024;
}

/** CPU seconds (user + system) a process used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The longest and 99th-percentile event-loop delay (ms) an idle process saw during one phase. */
export interface NoiseFigures {
  readonly maxMs: number;
  readonly p99Ms: number;
  /**
   * The longest delay minus the time the idle process waited runnable for a CPU in the same interval
   * (/proc/thread-self/schedstat), the engine stall monitor's "own" figure measured on a process that does
   * nothing: the floor under any server's own stall on this machine at that moment (null where schedstat is missing).
   */
  readonly ownMaxMs: number | null;
}

// The probe process: an idle Node process whose event loop runs a 1 ms timer; on each line read from
// stdin it prints "<max µs> <p99 µs> <own max µs or -1>" of its loop delay since the previous line, and resets.
// The own figure comes from the engine's own stall monitor (compiled, in dist/), so it is the same metric.
const STALL_MONITOR_URL = new URL("../dist/src/engine/util/stall-monitor.js", import.meta.url).href;
const NOISE_PROBE_SOURCE = `
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startStallMonitor } from ${JSON.stringify(STALL_MONITOR_URL)};
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
let stalls = startStallMonitor();
process.stdin.setEncoding("utf8");
process.stdin.on("data", (text) => {
  for (let i = 0; i < text.split("\\n").length - 1; i++) {
    const figures = stalls.stop();
    stalls = startStallMonitor();
    const ownUs = figures === null || !figures.cpuWaitMeasured ? -1 : Math.round(figures.ownLongestMs * 1000);
    process.stdout.write(Math.round(histogram.max / 1000) + " " + Math.round(histogram.percentile(99) / 1000) + " " + ownUs + "\\n");
    histogram.reset();
  }
});
process.stdin.on("end", () => process.exit(0));
`;

/**
 * Starts an idle process that measures the machine's own scheduling noise: the event-loop delay of a
 * process that does nothing is what the OS (other runnable threads, the hypervisor) costs any server on
 * this machine at that moment. A server's stall can only be judged against it. `phase()` returns the
 * figures since the previous call (or the start); `stop()` ends the process.
 */
export function startNoiseProbe(): { phase: () => Promise<NoiseFigures>; stop: () => void } {
  const child = spawn(process.execPath, ["--input-type=module", "-e", NOISE_PROBE_SOURCE], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  let buffered = "";
  const waiting: ((line: string) => void)[] = [];
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (text: string) => {
    buffered += text;
    for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      waiting.shift()?.(line);
    }
  });
  return {
    phase: () =>
      new Promise((resolve) => {
        waiting.push((line) => {
          const [maxUs, p99Us, ownUs] = line.split(" ").map(Number);
          resolve({
            maxMs: (maxUs ?? 0) / 1000,
            p99Ms: (p99Us ?? 0) / 1000,
            ownMaxMs: ownUs === undefined || ownUs < 0 ? null : ownUs / 1000,
          });
        });
        child.stdin?.write("\n");
      }),
    stop: () => {
      child.stdin?.end();
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

// Jiffies of every process on the machine except this one: pid -> [name, user + system].
function processJiffies(): Map<number, [string, number]> {
  const result = new Map<number, [string, number]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      result.set(pid, [name, Number(fields[11]) + Number(fields[12])]);
    } catch {
      // the process ended meanwhile
    }
  }
  return result;
}

// Busy and total jiffies of all CPUs (the "cpu" line of /proc/stat; idle and iowait count as not busy, steal as busy).
function cpuJiffies(): { busy: number; total: number } {
  const times = readCpuTimes();
  return times === null ? { busy: 0, total: 0 } : { busy: times.busy + times.steal, total: times.total };
}

/**
 * Refuses to benchmark on a busy machine: samples the CPUs for a second before the run and, when other
 * processes kept more than a quarter of them busy, names the busiest and exits (code 2), because every
 * figure would be depressed and paired ratios skewed. `--allow-busy` measures anyway, with a warning.
 * (A leftover load generator spinning at 100% once silently halved every figure of a session.)
 */
export async function requireQuietMachine(): Promise<void> {
  if (!existsSync("/proc/stat")) return;
  const cpus = availableParallelism();
  const before = cpuJiffies();
  const processesBefore = processJiffies();
  await sleep(1000);
  const after = cpuJiffies();
  const share = (after.busy - before.busy) / Math.max(1, after.total - before.total);
  const busiest = [...processJiffies()]
    .map(([pid, [name, jiffies]]) => ({ pid, name, jiffies: jiffies - (processesBefore.get(pid)?.[1] ?? jiffies) }))
    .filter((entry) => entry.jiffies > 5)
    .sort((a, b) => b.jiffies - a.jiffies)
    .slice(0, 3)
    .map((entry) => `${entry.name} (pid ${entry.pid}, ${entry.jiffies}% of a CPU)`);
  const text = `${Math.round(share * 100)}% of the machine's ${cpus} CPUs were busy in the second before the run${busiest.length > 0 ? `: ${busiest.join(", ")}` : ""}`;
  if (share <= 0.25) {
    console.error(`machine check: ${text}`);
    return;
  }
  if (process.argv.includes("--allow-busy")) {
    console.error(`WARNING (--allow-busy): ${text}; every figure below is depressed by that load.`);
    return;
  }
  console.error(
    `bench: refusing to measure on a busy machine: ${text}.\nStop that load (or pass --allow-busy to measure anyway, knowing the figures will be low and the ratios skewed).`,
  );
  process.exit(2);
}
