// ResolvedScenario: the fully desugared scenario every other module consumes (durations in ms, presets expanded).
import type { OpName } from "./schema.ts";

/** A persistence strategy ready to run: its name and its redis.conf directives as strings. */
export interface ResolvedStrategy {
  name: string;
  config: Record<string, string>;
}

/** Key space of a workload. */
export interface ResolvedKeys {
  count: number;
  distribution: "uniform" | "zipf" | "sequential";
  skew: number;
  prefix: string;
}

/** The workload shared by every load phase. */
export interface ResolvedWorkload {
  keys: ResolvedKeys;
  values: { minBytes: number; maxBytes: number };
  mix: ReadonlyArray<{ op: OpName; weight: number }>;
  preload: { keys: number; valueBytes: number };
  opTimeoutMs: number;
  history: "writes" | "all" | "none";
  /** Which client library carries the workload: "resp" (built-in pipelined RESP2) or "ioredis". */
  client: "resp" | "ioredis";
}

/** How a load-carrying phase drives traffic. */
export interface ResolvedLoad {
  executor: "closed" | "open";
  clients: number;
  pipeline: number;
  /** Target ops/s for the open loop (undefined for closed). */
  rate: number | undefined;
  /** Whether the phase's measurements go into the run metrics (false for warm-up). */
  record: boolean;
}

/** A load phase: run the workload for a duration or an op count. */
export interface ResolvedLoadPhase extends ResolvedLoad {
  kind: "load";
  name: string;
  durationMs: number | undefined;
  ops: number | undefined;
}

/** A rewrite phase: load for `beforeMs`, trigger BGREWRITEAOF/BGSAVE, keep loading until done + `afterMs`. */
export interface ResolvedRewritePhase extends ResolvedLoad {
  kind: "rewrite";
  name: string;
  trigger: "auto" | "BGREWRITEAOF" | "BGSAVE";
  beforeMs: number;
  afterMs: number;
  timeoutMs: number;
}

/** A recovery phase: for each data set size, fill, stop, restart and time readiness. */
export interface ResolvedRecoveryPhase {
  kind: "recovery";
  name: string;
  sizes: number[];
  valueBytes: number;
  timeoutMs: number;
}

/** Any resolved phase. */
export type ResolvedPhase = ResolvedLoadPhase | ResolvedRewritePhase | ResolvedRecoveryPhase;

/** A threshold as written (evaluated by the gate, not by `run`). */
export interface ResolvedThreshold {
  threshold: string;
  abortOnFail: boolean;
}

/** The scenario after validation, defaults and shorthand expansion. */
export interface ResolvedScenario {
  name: string;
  description: string;
  seed: number;
  repetitions: number;
  strategies: ResolvedStrategy[];
  workload: ResolvedWorkload;
  phases: ResolvedPhase[];
  /** Measure restart-to-ready with the run's final data set at the end of each run. */
  recovery: boolean;
  timelineBucketMs: number;
  thresholds: Record<string, ResolvedThreshold[]>;
  /** Values of extension keys registered by other modules (nemesis, checkers, ...), validated. */
  extensions: Record<string, unknown>;
  /** True when --quick scaled this scenario down. */
  quick: boolean;
  /** Folder of the scenario file, when read from one (relative paths in it, e.g. runbook scripts, resolve against it). */
  baseDir?: string;
}
