// bench:harness — is the harness's load generator fast enough not to be the bottleneck it measures?
// Runs redis-benchmark and the harness's closed loop against the same real Redis (no persistence), with the
// same clients, pipeline depth, value size and key space. The VM's speed drifts from minute to minute, so each
// round measures the tools back to back (in ABBA order: the first tool of a round alternates) and the figure is
// the median of the per-round ratios harness ops/s ÷ redis-benchmark ops/s (goal ≥ 0.9) over the rounds where
// neither measurement saw more than 5% CPU steal (--max-steal N); the medians of the raw figures, and each
// measurement's steal, are printed too.
// It imports the compiled harness (dist/, built by the npm script) because that is what the CLI runs.
// Usage: npm run bench:harness [-- --seconds 4 --rounds 3]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineInstance } from "../src/harness/engines/types.ts";
import {
  closeHistoryStream,
  createEngine,
  createRng,
  HistoryRecorder,
  LatencyRecorder,
  OpSink,
  openHistoryStream,
  parseScenario,
  TimelineRecorder,
  WorkloadDriver,
} from "./harness-modules.ts";
import {
  cleanPairedRatio,
  describeSamples,
  flag,
  MAX_ROUND_STEAL_PCT,
  measureWithSteal,
  median,
  redisBenchmark,
  requireQuietMachine,
  type StealSample,
} from "./support.ts";

// Nine 2-second pairs rather than five 3-second ones: the VM's speed swings within seconds even without steal,
// and a median over more, shorter pairs is steadier (five pairs gave 0.86-0.99 at pipeline 16 on one afternoon).
const SECONDS = flag("seconds", 2);
const ROUNDS = flag("rounds", 9);
const VALUE_BYTES = 100;
const KEYSPACE = 100_000;
const CASES = [
  { clients: 50, pipeline: 1 },
  { clients: 50, pipeline: 16 },
];

// redis-benchmark SET throughput with `requests` requests.
function runRedisBenchmark(
  instance: EngineInstance,
  clients: number,
  pipeline: number,
  requests: number,
): Promise<number> {
  return redisBenchmark({
    host: instance.endpoint.host,
    port: instance.endpoint.port,
    test: "set",
    clients,
    pipeline,
    valueBytes: VALUE_BYTES,
    keyspace: KEYSPACE,
    requests,
  });
}

// The harness closed loop: SET only, same clients/pipeline/value size/key space, 0.5 s warm-up.
async function runHarness(
  instance: EngineInstance,
  clients: number,
  pipeline: number,
  history: "none" | "writes",
): Promise<number> {
  const scenario = parseScenario({
    name: "bench",
    workload: { keys: { count: KEYSPACE }, values: VALUE_BYTES, mix: { SET: 1 }, history },
  });
  const dir = mkdtempSync(join(tmpdir(), "persistlab-bench-"));
  const stream = history === "none" ? undefined : openHistoryStream(join(dir, "history.jsonl.gz"));
  const sink = new OpSink({
    startMs: performance.now(),
    latency: new LatencyRecorder(),
    timeline: new TimelineRecorder(500),
    history: new HistoryRecorder({ runId: "bench", mode: history, stream }),
  });
  const driver = new WorkloadDriver(sink);
  await driver.open({ endpoint: instance.endpoint, clients, workload: scenario.workload, rng: createRng(1) });
  const phase = { executor: "closed" as const, clients, pipeline, rate: undefined, record: false };
  await driver.runLoad(phase, { durationMs: 500, ops: undefined, signal: undefined });
  const before = sink.totals.ok;
  const started = performance.now();
  await driver.runLoad({ ...phase, record: true }, { durationMs: SECONDS * 1000, ops: undefined, signal: undefined });
  const opsPerSec = ((sink.totals.ok - before) * 1000) / (performance.now() - started);
  await driver.close();
  sink.history.flush();
  if (stream !== undefined) await closeHistoryStream(stream);
  sink.latency.destroy();
  rmSync(dir, { recursive: true, force: true });
  return Math.round(opsPerSec);
}

await requireQuietMachine();
const engine = createEngine({ kind: "redis-server" });
const instance = await engine.create({ config: { save: "", appendonly: "no" }, label: "bench" });
try {
  await instance.start();
  console.log(
    `redis-server ${(await engine.describe()).version}, SET, ${VALUE_BYTES} B values, ${KEYSPACE} keys, ${SECONDS}s per measurement, ${ROUNDS} paired rounds`,
  );
  console.log(
    `clients  pipeline  redis-benchmark ops/s  harness ops/s  ratio  harness+history ops/s  ratio   (ratio = median of per-round ratios over rounds with steal ≤ ${MAX_ROUND_STEAL_PCT}%)`,
  );
  let worst = Infinity;
  for (const { clients, pipeline } of CASES) {
    const calibration = await runRedisBenchmark(instance, clients, pipeline, 50_000 * Math.min(pipeline, 8));
    const requests = Math.round(calibration * SECONDS);
    const reference: StealSample[] = [],
      plain: StealSample[] = [],
      recorded: StealSample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const measureHarness = async (): Promise<void> => {
        plain.push(await measureWithSteal(() => runHarness(instance, clients, pipeline, "none")));
        recorded.push(await measureWithSteal(() => runHarness(instance, clients, pipeline, "writes")));
      };
      if (round % 2 === 1) await measureHarness();
      reference.push(await measureWithSteal(() => runRedisBenchmark(instance, clients, pipeline, requests)));
      if (round % 2 === 0) await measureHarness();
    }
    const plainRatio = cleanPairedRatio(plain, reference);
    const recordedRatio = cleanPairedRatio(recorded, reference);
    worst = Math.min(worst, plainRatio.ratio);
    const middle = (samples: readonly StealSample[]): string => String(Math.round(median(samples.map((s) => s.value))));
    console.log(
      `${String(clients).padStart(7)}  ${String(pipeline).padStart(8)}  ${middle(reference).padStart(21)}  ${middle(plain).padStart(13)}  ${plainRatio.ratio.toFixed(2).padStart(5)}  ${middle(recorded).padStart(21)}  ${recordedRatio.ratio.toFixed(2).padStart(5)}`,
    );
    console.log(
      `         rounds (ops/s, steal): redis-benchmark ${describeSamples(reference)} | harness ${describeSamples(plain)} | harness+history ${describeSamples(recorded)}`,
    );
    console.log(`         harness: ${plainRatio.note}; harness+history: ${recordedRatio.note}`);
  }
  console.log(`worst ratio (harness without history): ${worst.toFixed(2)} (goal >= 0.90)`);
} finally {
  await instance.dispose();
}
