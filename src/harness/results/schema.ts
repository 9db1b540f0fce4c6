// results.json: the versioned output schema of `persistlab run` (documented for readers in docs/results-schema.md).
// Consumers: the HTML report, gate, compare, recommend, and the chaos helper (which fills metrics.durability).
// Compatibility rule: adding optional fields keeps RESULTS_SCHEMA_VERSION; renaming/removing/changing meaning bumps it.
import type { ResolvedScenario } from "../scenario/resolved.ts";
import type { EngineDescription } from "../engines/types.ts";
import type { LatencySummary } from "../stats/histogram.ts";
import type { TimelineBucket } from "../stats/timeline.ts";
import type { Outage } from "../workload/availability.ts";
import type { MachineNoise } from "../stats/cpu-steal.ts";
import type { NotMeasured } from "../shared/not-measured.ts";
import type { Analysis } from "./analysis-schema.ts";

/** Current schema version of results.json. */
export const RESULTS_SCHEMA_VERSION = 1;

export type { NotMeasured } from "../shared/not-measured.ts";

/** Raw fdatasync latency of the data directory's disk: the physical floor for fsync figures. */
export interface DiskFloor {
  measured: true;
  path: string;
  blockBytes: number;
  samples: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
}

/** Where the run happened. */
export interface Environment {
  hostname: string;
  os: string;
  kernel: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  runtime: { name: "node" | "deno"; version: string };
  persistlabVersion: string;
  engine: EngineDescription;
}

/** Throughput of the recorded phases. */
export interface ThroughputMetrics {
  /** Successful ops per second over the recorded phases (ok ops / recorded seconds). */
  opsPerSec: number;
  /** Recorded ops by outcome. */
  ok: number;
  fail: number;
  info: number;
  /** Seconds of recorded load. */
  durationSec: number;
  /** Buckets (≤ 1 s) over the whole run, including warm-up and non-recorded time (t from run start). */
  timeline: TimelineBucket[];
  bucketMs: number;
}

/** Latency percentiles (ms) of successful ops: `all`, and per command. */
export interface LatencyMetrics {
  /** "closed-loop": service time; "open-loop": from the intended send time (coordinated omission corrected). */
  basis: "closed-loop" | "open-loop" | "mixed";
  all: LatencySummary;
  byOp: Record<string, LatencySummary>;
}

/** Engine fsync latency (bundled engine INFO, or an FsyncSource such as a tracing shim). */
export interface FsyncMeasured {
  measured: true;
  /** Which FsyncSource produced it ("engine-info", "ld-preload-shim", ...). */
  source: string;
  count: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/** Cost of one BGREWRITEAOF / BGSAVE under load. */
export interface RewriteMeasured {
  measured: true;
  phase: string;
  command: "BGREWRITEAOF" | "BGSAVE";
  durationMs: number;
  /** Persistence files (AOF dir + RDB) before the trigger and after completion, in bytes. */
  bytesBefore: number;
  bytesAfter: number;
  /** Throughput and p99 during the `before` window vs while the rewrite ran. */
  opsPerSecBefore: number;
  opsPerSecDuring: number;
  p99MsBefore: number;
  p99MsDuring: number;
  /** Peak RSS of the engine (plus its fork, if any) while the rewrite ran, from /proc VmRSS sampling. */
  peakRssBytes: number;
  /** RSS just before the trigger. */
  rssBeforeBytes: number;
  status: "ok" | "err" | "timeout";
}

/** Restart-to-ready time for one data set size. */
export interface RecoverySample {
  keys: number;
  /** Time from spawning the process to PING ok + loading:0. */
  readyMs: number;
  /** Keys present after the restart (DBSIZE). */
  loadedKeys: number;
  /** Persistence files' size on disk when the engine was stopped. */
  bytesOnDisk: number;
}

/** Recovery after a graceful stop (SIGTERM) and restart. */
export interface RecoveryMeasured {
  measured: true;
  /** Restart-to-ready with the run's final data set. */
  readyMs: number;
  keysBefore: number;
  loadedKeys: number;
  bytesOnDisk: number;
  /** Recovery phase results by size (empty when the scenario has no recovery phase). */
  bySize: RecoverySample[];
}

/** Errors of recorded ops. */
export interface ErrorMetrics {
  fail: number;
  info: number;
  /** Fraction of recorded ops that were not ok. */
  rate: number;
  /** Most frequent messages (digits replaced by N), with counts. */
  top: Array<{ message: string; count: number }>;
}

/** Availability: ok fraction and server outages seen by the clients. */
export interface AvailabilityMetrics {
  /** ok / (ok + fail + info) over recorded ops. */
  okRatio: number;
  outages: Outage[];
  /** Sum of outage lengths (ms). */
  unavailableMs: number;
}

/** Filled by the nemesis's durability checker (absent on perf-only runs); docs/chaos.md explains each field. */
export interface DurabilityMetrics {
  /** Crash rounds (engine deaths followed by a restart), disaster drills excluded. */
  kills: number;
  /** Acknowledged writes the rounds judged. */
  acked: number;
  /** Acknowledged client writes missing after the restarts. */
  lost: number;
  /** Keys holding a value no client ever wrote. */
  corrupt: number;
  /** How much acknowledged history vanished (crash time minus ack time of lost writes), max and p50 over rounds. */
  lossWindowMs: { max: number; p50: number };
  /** Unacknowledged (failed or indeterminate) writes found after a restart. */
  survivedUnacked: number;
  /** Rounds whose data the engine could not start on, even after the repair. */
  failedRestarts: number;
  /** Rounds that needed a repair (check-aof --fix, a restored backup, or a torn tail cut at load). */
  repairs: number;
  /** pass: no round broke the policy's promise; fail: one did; unknown: undecidable. */
  verdict: "pass" | "fail" | "unknown";
  /** Three-valued outcome against the policy: no loss, loss within what it allows, a broken promise. */
  outcome?: "ok" | "lost-as-allowed" | "violation" | "unknown";
  /** Crash rounds that lost more than the policy promises on this engine. */
  violations?: number;
  /** Policy judged against: none | rdb | aof-always | aof-everysec | aof-no. */
  policy?: string;
  /** kill or power-loss (power loss asked for and applied). */
  crash?: "kill" | "power-loss";
  /** Recovered state lost by a later round; keys that went back to a value older than the previous restart. */
  recoveredLost?: number;
  stale?: number;
  /** Run seed and the command that replays the run's fault schedule. */
  seed?: number;
  reproduce?: string;
  /** One entry per crash round, and one per disaster drill. */
  rounds?: Array<Record<string, unknown>>;
  drills?: Array<Record<string, unknown>>;
  [extra: string]: unknown;
}

/** Every metric of one run. */
export interface RunMetrics {
  throughput: ThroughputMetrics;
  latency: LatencyMetrics;
  fsync: FsyncMeasured | NotMeasured;
  rewrite: RewriteMeasured | NotMeasured;
  recovery: RecoveryMeasured | NotMeasured;
  errors: ErrorMetrics;
  availability: AvailabilityMetrics;
  /** Engine memory at the end of the run (VmRSS / VmHWM), bytes. */
  memory: { measured?: true; rssBytes: number; hwmBytes: number } | NotMeasured;
  durability?: DurabilityMetrics;
  /**
   * CPU steal (time the hypervisor took from this VM) and CPU load over the recorded load phases, from
   * /proc/stat. Steal at or above NOISY_STEAL_PCT (5%) means the machine depressed this run's figures.
   * Absent in files written before it was added.
   */
  machine?: MachineNoise | NotMeasured;
  /** Metrics added by plugins under their own names. */
  [plugin: string]: unknown;
}

/** A time-stamped event of a run (ms from run start), for chart shading. */
export interface RunEvent {
  tMs: number;
  type:
    | "phase-start"
    | "phase-end"
    | "bgsave-start"
    | "bgsave-end"
    | "rewrite-start"
    | "rewrite-end"
    | "kill"
    | "stop"
    | "restart"
    | "ready"
    | "outage-start"
    | "outage-end"
    | "error"
    | (string & {});
  detail?: Record<string, unknown>;
}

/** A phase as it actually ran. */
export interface PhaseRecord {
  name: string;
  kind: "load" | "rewrite" | "recovery";
  startMs: number;
  endMs: number;
  record: boolean;
  issued: number;
  /** ok ops completed during the phase, and their rate (ok / phase seconds). */
  ok?: number;
  opsPerSec?: number;
  /** Load phases: how the load was driven (closed loop, or open loop at `rate` ops/s). */
  executor?: "closed" | "open";
  rate?: number;
  /** Load phases: latency of the phase's ok ops, recorded or not (ms; open loop from the intended send time). */
  latency?: { count: number; p50Ms: number; p99Ms: number; p999Ms: number };
  /** Load phases: CPU load, steal and the harness loop's busy share over this phase alone (see RunMetrics.machine). */
  machine?: MachineNoise | NotMeasured;
}

/** One run: a strategy × repetition. */
export interface RunResult {
  /** `<strategy>#<repetition>`; history.jsonl.gz lines carry it in `run`. */
  id: string;
  strategy: string;
  /** The directives the engine ran with. */
  config: Record<string, string>;
  repetition: number;
  seed: number;
  status: "ok" | "failed" | "interrupted";
  /** Why a run failed (status failed). */
  error?: string;
  startedAt: string;
  durationMs: number;
  phases: PhaseRecord[];
  events: RunEvent[];
  metrics: RunMetrics;
  /** Ops written to history.jsonl.gz for this run. */
  historyOps: number;
}

/** The whole results.json. */
export interface Results {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  tool: "persistlab";
  createdAt: string;
  /** Updated after each run; "complete" once every planned run is done. */
  status: "running" | "complete" | "failed" | "interrupted";
  scenario: ResolvedScenario;
  /** The scenario file as given (path), if any. */
  scenarioFile?: string;
  /** Present when this file holds one slice of the plan (`run --shard i/n`); `merge` removes it. */
  shard?: { index: number; count: number };
  environment: Environment;
  diskFloor: DiskFloor | NotMeasured;
  runs: RunResult[];
  /**
   * The verdicts drawn from the runs (intervals, ties, bottlenecks, the usual advice checked): written once the
   * runs are done; report, summary and recommend recompute it from the runs, so older files need none.
   */
  analysis?: Analysis;
}
