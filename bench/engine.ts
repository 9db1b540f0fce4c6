// bench:engine — how fast and how big is the bundled engine next to real Redis 7.0?
// Starts the built engine (dist/) and redis-server on free loopback ports in the same run, then
//  1. throughput: redis-benchmark SET and GET, 50 clients, pipeline 1 and 16, 100-byte values over
//     100 000 random keys; after an unmeasured warm-up, engine and Redis alternate for several rounds
//     (the machine is shared) and the medians give ratio = engine ÷ Redis (goals: ≥ 0.9 at P=1,
//     ≥ 0.6 at P=16), next to each server's CPU time per request (user + system, from /proc);
//  2. memory: 1 000 000 keys of 100-byte values loaded into both by the same pipelined loader,
//     then VmRSS of each process from /proc/<pid>/status (goal: engine ≤ 2× Redis).
// Usage: npm run bench:engine [-- --rounds 3 --requests 60000 --keys 1000000] (requests at P=1; P=16 runs 6×)
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cpuSeconds,
  flag,
  launchServer,
  median,
  redisBenchmark,
  rssMegabytes,
  stopServer,
  waitForPong,
  type LaunchedServer,
  requireQuietMachine,
} from "./support.ts";

const ROUNDS = flag("rounds", 3);
const REQUESTS_P1 = flag("requests", 60_000);
const REQUESTS_P16 = REQUESTS_P1 * 6;
const KEYS = flag("keys", 1_000_000);
const VALUE_BYTES = 100;

interface Server extends LaunchedServer {
  readonly name: "engine" | "redis";
  readonly dir: string;
}

async function start(name: "engine" | "redis"): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `persistlab-bench-${name}-`));
  const launched = await launchServer(name, dir, ["--appendonly", "no"]);
  await waitForPong(launched, 10_000);
  return { ...launched, name, dir };
}

async function stop(server: Server): Promise<void> {
  await stopServer(server, 5000);
  rmSync(server.dir, { recursive: true, force: true });
}

// Requests per second of one redis-benchmark test, and the server's CPU microseconds per request.
async function benchmark(
  server: Server,
  test: "set" | "get",
  pipeline: number,
): Promise<{ rps: number; cpuUs: number }> {
  const requests = pipeline === 1 ? REQUESTS_P1 : REQUESTS_P16;
  const cpuBefore = cpuSeconds(server.pid);
  const rps = await redisBenchmark({
    port: server.port,
    test,
    clients: 50,
    pipeline,
    valueBytes: VALUE_BYTES,
    keyspace: 100_000,
    requests,
  });
  const cpuUs = ((cpuSeconds(server.pid) - cpuBefore) * 1e6) / requests;
  return { rps, cpuUs };
}

// Loads `count` keys key:<n> with 100-byte values, 2000 pipelined SETs per round trip.
async function load(server: Server, count: number): Promise<void> {
  const socket = connect({ host: "127.0.0.1", port: server.port });
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const filler = "x".repeat(VALUE_BYTES);
  const batch = 2000;
  let pending = 0;
  let waiting: (() => void) | null = null;
  socket.on("data", (chunk: Buffer) => {
    pending -= chunk.length;
    if (pending <= 0 && waiting !== null) waiting();
  });
  for (let first = 0; first < count; first += batch) {
    let out = "";
    const last = Math.min(count, first + batch);
    for (let index = first; index < last; index += 1) {
      const key = `key:${String(index).padStart(12, "0")}`;
      const value = (String(index) + filler).slice(0, VALUE_BYTES);
      out += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${VALUE_BYTES}\r\n${value}\r\n`;
    }
    pending += (last - first) * 5; // "+OK\r\n" per SET
    await new Promise<void>((resolve) => {
      waiting = resolve;
      socket.write(out);
    });
    waiting = null;
  }
  socket.destroy();
}

const format = (value: number): string => Math.round(value).toLocaleString("en-US");

await requireQuietMachine();
const startedAt = performance.now();
const engine = await start("engine");
const redis = await start("redis");
try {
  console.log(
    `bench:engine — ${ROUNDS} alternating rounds, 50 clients, ${VALUE_BYTES}-byte values, 100 000 random keys (shared machine: figures are noisy)`,
  );
  // Warm-up, not measured: JIT compilation and the 100 000-key tables happen before the rounds.
  for (const server of [engine, redis]) for (const test of ["set", "get"] as const) await benchmark(server, test, 16);
  console.log("test  pipeline  engine ops/s  redis ops/s  ratio  goal       CPU µs/request engine  redis  ratio");
  for (const pipeline of [1, 16]) {
    for (const test of ["set", "get"] as const) {
      const engineRuns: number[] = [];
      const redisRuns: number[] = [];
      const engineCpu: number[] = [];
      const redisCpu: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const engineRun = await benchmark(engine, test, pipeline);
        const redisRun = await benchmark(redis, test, pipeline);
        engineRuns.push(engineRun.rps);
        redisRuns.push(redisRun.rps);
        engineCpu.push(engineRun.cpuUs);
        redisCpu.push(redisRun.cpuUs);
      }
      const ratio = median(engineRuns) / median(redisRuns);
      const goal = pipeline === 1 ? 0.9 : 0.6;
      const cpuRatio = median(engineCpu) / median(redisCpu);
      console.log(
        `${test.toUpperCase().padEnd(4)}  P=${String(pipeline).padEnd(6)}  ${format(median(engineRuns)).padStart(12)}  ${format(median(redisRuns)).padStart(11)}  ${ratio.toFixed(2).padStart(5)}  ≥${goal} ${(ratio >= goal ? "ok" : "SHORT").padEnd(5)}  ${median(engineCpu).toFixed(2).padStart(20)}  ${median(redisCpu).toFixed(2).padStart(5)}  ${cpuRatio.toFixed(2).padStart(5)}`,
      );
    }
  }
  await Promise.all([
    execa("redis-cli", ["-p", String(engine.port), "FLUSHALL"]),
    execa("redis-cli", ["-p", String(redis.port), "FLUSHALL"]),
  ]);
  await load(engine, KEYS);
  await load(redis, KEYS);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const engineRss = rssMegabytes(engine.pid);
  const redisRss = rssMegabytes(redis.pid);
  const ratio = engineRss / redisRss;
  console.log(
    `memory: ${format(KEYS)} keys × ${VALUE_BYTES}-byte values  engine RSS ${engineRss.toFixed(0)} MB  redis RSS ${redisRss.toFixed(0)} MB  ratio ${ratio.toFixed(2)}  ≤2 ${ratio <= 2 ? "ok" : "SHORT"}`,
  );
  console.log(`total ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
} finally {
  await Promise.all([stop(engine), stop(redis)]);
}
