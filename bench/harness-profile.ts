// Profiling aid for bench:harness: runs only the harness's closed loop (no redis-benchmark) against a fresh
// redis-server, so `node --cpu-prof --import tsx bench/harness-profile.ts` profiles the load generator alone.
// Usage: node --cpu-prof --import tsx bench/harness-profile.ts [--clients 50 --pipeline 16 --seconds 4 --history none|writes]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { flag, textFlag } from "./support.ts";

const clients = flag("clients", 50);
const pipeline = flag("pipeline", 16);
const seconds = flag("seconds", 4);
const history = (textFlag("history") ?? "none") as "none" | "writes";

const attachPort = flag("attach", 0); // --attach PORT: measure a server already running on 127.0.0.1:PORT
const engine =
  attachPort > 0
    ? createEngine({ kind: "attach", host: "127.0.0.1", port: attachPort })
    : createEngine({ kind: "redis-server" });
const instance = await engine.create({ config: { save: "", appendonly: "no" }, label: "profile" });
try {
  await instance.start();
  const scenario = parseScenario({
    name: "profile",
    workload: { keys: { count: 100_000 }, values: 100, mix: { SET: 1 }, history },
  });
  // History goes to a history.jsonl.gz file, as in bench:harness and in real runs.
  const historyDir = mkdtempSync(join(tmpdir(), "persistlab-profile-"));
  const stream = history === "none" ? undefined : openHistoryStream(join(historyDir, "history.jsonl.gz"));
  const sink = new OpSink({
    startMs: performance.now(),
    latency: new LatencyRecorder(),
    timeline: new TimelineRecorder(500),
    history: new HistoryRecorder({ runId: "profile", mode: history, stream }),
  });
  const driver = new WorkloadDriver(sink);
  await driver.open({ endpoint: instance.endpoint, clients, workload: scenario.workload, rng: createRng(1) });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await driver.runLoad(
    { executor: "closed", clients, pipeline, rate: undefined, record: true },
    { durationMs: seconds * 1000, ops: undefined, signal: undefined },
  );
  const cpu = process.cpuUsage(cpuBefore);
  const ops = sink.totals.ok;
  console.log(
    `${Math.round((ops * 1000) / (performance.now() - started))} ops/s, CPU per op: user ${(cpu.user / ops).toFixed(2)} µs + system ${(cpu.system / ops).toFixed(2)} µs (clients ${clients}, pipeline ${pipeline}, history ${history})`,
  );
  await driver.close();
  sink.history.flush();
  if (stream !== undefined) {
    // Closing compresses the spooled lines into history.jsonl.gz (history-file.ts): its CPU, per op of the load.
    const closeBefore = process.cpuUsage();
    await closeHistoryStream(stream);
    const close = process.cpuUsage(closeBefore);
    console.log(
      `closing the history (gzip of the spooled lines): user ${(close.user / ops).toFixed(2)} µs + system ${(close.system / ops).toFixed(2)} µs per op`,
    );
  }
  rmSync(historyDir, { recursive: true, force: true });
  sink.latency.destroy();
} finally {
  await instance.dispose();
}
