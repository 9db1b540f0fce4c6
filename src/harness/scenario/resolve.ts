// Desugars a parsed scenario: shorthand → phases, presets → directives, durations → ms, --quick scaling.
// Adds an issue for every conflict instead of throwing, so the user sees them all at once.
import type { ScenarioIssue } from "../shared/errors.ts";
import { parseDurationMs } from "../shared/duration.ts";
import { normalizeDirectives, STRATEGY_NAMES, STRATEGY_PRESETS } from "./presets.ts";
import type { ResolvedPhase, ResolvedScenario, ResolvedStrategy, ResolvedWorkload } from "./resolved.ts";
import type { OpName, ParsedPhase, ParsedScenario } from "./schema.ts";
import { suggestClosest } from "./strict.ts";

const SHORTHAND_KEYS = ["duration", "warmup", "clients", "pipeline", "rate"] as const;

// Expands preset names and custom directive maps into ResolvedStrategy objects.
function resolveStrategies(parsed: ParsedScenario, issues: ScenarioIssue[]): ResolvedStrategy[] {
  const out: ResolvedStrategy[] = [];
  parsed.strategies.forEach((entry, index) => {
    const presetName = typeof entry === "string" ? entry : entry.preset;
    let base: Record<string, string> = {};
    if (presetName !== undefined) {
      const preset = STRATEGY_PRESETS[presetName];
      if (preset === undefined) {
        const close = suggestClosest(presetName, STRATEGY_NAMES);
        const path = typeof entry === "string" ? `strategies[${index}]` : `strategies[${index}].preset`;
        issues.push({
          path,
          message: `Unknown strategy preset ${JSON.stringify(presetName)}. Fix: use one of ${STRATEGY_NAMES.join(", ")}${close === undefined ? "" : ` (did you mean ${JSON.stringify(close)}?)`}, or write {"name": ..., "config": {directives}}`,
        });
        return;
      }
      base = normalizeDirectives(preset);
    }
    const config = typeof entry === "string" ? base : { ...base, ...normalizeDirectives(entry.config) };
    const name = typeof entry === "string" ? entry : entry.name;
    if (out.some((s) => s.name === name))
      issues.push({
        path: `strategies[${index}]`,
        message: `Duplicate strategy name ${JSON.stringify(name)}. Fix: give each strategy a distinct name`,
      });
    out.push({ name, config });
  });
  return out;
}

// Resolves the workload: value sizes, normalised mix weights and preload.
function resolveWorkload(parsed: ParsedScenario, issues: ScenarioIssue[]): ResolvedWorkload {
  const w = parsed.workload;
  let minBytes = 100,
    maxBytes = 100;
  if (typeof w.values === "number") minBytes = maxBytes = w.values;
  else if (w.values.bytes !== undefined) {
    if (w.values.minBytes !== undefined || w.values.maxBytes !== undefined)
      issues.push({
        path: "workload.values",
        message:
          "Both `bytes` and `minBytes`/`maxBytes` are set. Fix: use `bytes` for a fixed size or `minBytes`+`maxBytes` for a range",
      });
    minBytes = maxBytes = w.values.bytes;
  } else {
    minBytes = w.values.minBytes ?? w.values.maxBytes ?? 100;
    maxBytes = w.values.maxBytes ?? minBytes;
    if (minBytes > maxBytes)
      issues.push({
        path: "workload.values",
        message: `\`minBytes\` (${minBytes}) is larger than \`maxBytes\` (${maxBytes}). Fix: swap them`,
      });
  }
  const entries = Object.entries(w.mix).filter(([, weight]) => (weight ?? 0) > 0) as [OpName, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total <= 0)
    issues.push({
      path: "workload.mix",
      message: 'The op mix has no positive weight. Fix: e.g. {"SET": 0.5, "GET": 0.5}',
    });
  const preload =
    typeof w.preload === "number"
      ? { keys: w.preload, valueBytes: maxBytes }
      : { keys: w.preload.keys, valueBytes: w.preload.valueBytes ?? maxBytes };
  return {
    keys: { ...w.keys },
    values: { minBytes, maxBytes },
    mix: entries.map(([op, weight]) => ({ op, weight: weight / total })),
    preload,
    opTimeoutMs: parseDurationMs(w.opTimeout),
    history: w.history,
    client: w.client,
  };
}

// Resolves one phase, checking combinations zod cannot express.
function resolvePhase(phase: ParsedPhase, index: number, issues: ScenarioIssue[]): ResolvedPhase {
  const path = `phases[${index}]`;
  if (phase.kind === "recovery")
    return {
      kind: "recovery",
      name: phase.name,
      sizes: phase.sizes,
      valueBytes: phase.valueBytes,
      timeoutMs: parseDurationMs(phase.timeout),
    };
  if (phase.executor === "open" && phase.rate === undefined)
    issues.push({
      path: `${path}.rate`,
      message:
        'An open-loop phase needs `rate` (target ops/s). Fix: add e.g. "rate": 5000, or use "executor": "closed"',
    });
  if (phase.executor === "closed" && phase.rate !== undefined)
    issues.push({
      path: `${path}.rate`,
      message: '`rate` only applies to the open loop. Fix: add "executor": "open" or remove `rate`',
    });
  const load = {
    executor: phase.executor,
    clients: phase.clients,
    pipeline: phase.pipeline,
    rate: phase.rate,
    record: phase.record,
  };
  if (phase.kind === "rewrite") {
    return {
      kind: "rewrite",
      name: phase.name,
      ...load,
      trigger: phase.trigger,
      beforeMs: parseDurationMs(phase.before),
      afterMs: parseDurationMs(phase.after),
      timeoutMs: parseDurationMs(phase.timeout),
    };
  }
  if (phase.duration === undefined && phase.ops === undefined)
    issues.push({ path, message: 'A load phase needs `duration` or `ops`. Fix: add e.g. "duration": "10s"' });
  if (phase.duration !== undefined && phase.ops !== undefined)
    issues.push({ path, message: "Both `duration` and `ops` are set. Fix: keep one of them" });
  return {
    kind: "load",
    name: phase.name,
    ...load,
    durationMs: phase.duration === undefined ? undefined : parseDurationMs(phase.duration),
    ops: phase.ops,
  };
}

// Expands top-level {duration, warmup, clients, pipeline, rate} into [warmup?, steady] phases.
function resolvePhases(parsed: ParsedScenario, issues: ScenarioIssue[]): ResolvedPhase[] {
  const usedShorthand = SHORTHAND_KEYS.filter((key) => parsed[key] !== undefined);
  if (parsed.phases !== undefined) {
    for (const key of usedShorthand)
      issues.push({
        path: key,
        message: `Shorthand \`${key}\` cannot be combined with \`phases\`. Fix: move it into a phase, or remove \`phases\``,
      });
    const names = new Set<string>();
    parsed.phases.forEach((phase, index) => {
      if (names.has(phase.name))
        issues.push({
          path: `phases[${index}].name`,
          message: `Duplicate phase name ${JSON.stringify(phase.name)}. Fix: give each phase a distinct name`,
        });
      names.add(phase.name);
    });
    return parsed.phases.map((phase, index) => resolvePhase(phase, index, issues));
  }
  const executor = parsed.rate === undefined ? "closed" : "open";
  const load = { executor, clients: parsed.clients ?? 50, pipeline: parsed.pipeline ?? 1, rate: parsed.rate } as const;
  const phases: ResolvedPhase[] = [];
  if (parsed.warmup !== undefined)
    phases.push({
      kind: "load",
      name: "warmup",
      ...load,
      record: false,
      durationMs: parseDurationMs(parsed.warmup),
      ops: undefined,
    });
  phases.push({
    kind: "load",
    name: "steady",
    ...load,
    record: true,
    durationMs: parseDurationMs(parsed.duration ?? "10s"),
    ops: undefined,
  });
  return phases;
}

// Scales durations, op counts and data sizes down for --quick (CI).
function applyQuick(scenario: ResolvedScenario, scale: number, maxKeys: number): void {
  const scaleMs = (ms: number): number => Math.max(200, Math.round(ms * scale));
  scenario.phases = scenario.phases.map((phase) => {
    if (phase.kind === "recovery")
      return { ...phase, sizes: [...new Set(phase.sizes.map((n) => Math.min(n, maxKeys)))] };
    if (phase.kind === "rewrite")
      return { ...phase, beforeMs: scaleMs(phase.beforeMs), afterMs: scaleMs(phase.afterMs) };
    return {
      ...phase,
      durationMs: phase.durationMs === undefined ? undefined : scaleMs(phase.durationMs),
      ops: phase.ops === undefined ? undefined : Math.max(100, Math.round(phase.ops * scale)),
    };
  });
  scenario.workload.preload.keys = Math.min(scenario.workload.preload.keys, maxKeys);
  scenario.repetitions = 1;
  scenario.quick = true;
}

/** Resolves a parsed scenario; pushes issues for conflicts; returns undefined only if unusable. */
export function resolveScenario(
  parsed: ParsedScenario & Record<string, unknown>,
  issues: ScenarioIssue[],
  quick: boolean,
): ResolvedScenario | undefined {
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed))
    if (!(key in FIELD_KEYS) && value !== undefined) extensions[key] = value;
  const scenario: ResolvedScenario = {
    name: parsed.name,
    description: parsed.description,
    seed: parsed.seed,
    repetitions: parsed.repetitions,
    strategies: resolveStrategies(parsed, issues),
    workload: resolveWorkload(parsed, issues),
    phases: resolvePhases(parsed, issues),
    recovery: parsed.recovery,
    timelineBucketMs: Math.min(1000, Math.max(50, parseDurationMs(parsed.timelineBucket))),
    thresholds: Object.fromEntries(
      Object.entries(parsed.thresholds).map(([metric, list]) => [
        metric,
        list.map((t) => (typeof t === "string" ? { threshold: t, abortOnFail: false } : t)),
      ]),
    ),
    extensions,
    quick: false,
  };
  if (parseDurationMs(parsed.timelineBucket) > 1000)
    issues.push({
      path: "timelineBucket",
      message: `Timeline buckets must be at most 1s, got ${JSON.stringify(parsed.timelineBucket)}. Fix: use e.g. "500ms"`,
    });
  if (quick) applyQuick(scenario, parsed.quick.durationScale, parsed.quick.maxKeys);
  return scenario;
}

const FIELD_KEYS: Record<string, true> = Object.fromEntries(
  [
    "$schema",
    "name",
    "description",
    "seed",
    "repetitions",
    "strategies",
    "workload",
    "phases",
    "recovery",
    "timelineBucket",
    "quick",
    "thresholds",
    ...SHORTHAND_KEYS,
  ].map((k) => [k, true]),
);
