// Parses bisect's --metric: a metric of the catalog (compare's ids or labels, e.g. "throughput.opsPerSec",
// "fsync p99", "durability.lost") optionally narrowed to one strategy with "{strategy:NAME}". Pure.
import { METRICS, type MetricDefinition } from "../report/metric-catalog.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";

/** The metric bisect judges commits on, and the one strategy it is read from. */
export interface MetricChoice {
  metric: MetricDefinition;
  strategy: string;
}

// Short names accepted besides ids and labels.
const ALIASES: Record<string, string> = {
  throughput: "throughput.opsPerSec",
  opspersec: "throughput.opsPerSec",
  p50: "latency.p50Ms",
  p99: "latency.p99Ms",
  "p99.9": "latency.p999Ms",
  p999: "latency.p999Ms",
  "fsync-p50": "fsync.p50Us",
  "fsync-p99": "fsync.p99Us",
  lost: "durability.lost",
  corrupt: "durability.corrupt",
};

const PATTERN = /^\s*([^{}]+?)\s*(?:\{\s*strategy\s*:\s*([^}]+?)\s*\})?\s*$/;

/** Every name --metric accepts, for error messages. */
export function listMetricNames(): string {
  return METRICS.map((m) => m.id).join(", ");
}

/** Resolves --metric against the scenario; returns an error message (with the fix) instead when it cannot. */
export function chooseMetric(text: string, scenario: ResolvedScenario): MetricChoice | string {
  const match = PATTERN.exec(text);
  if (match === null)
    return `malformed --metric "${text}" (expected e.g. "throughput.opsPerSec" or "durability.lost{strategy:aof-always}")`;
  const name = match[1]!.toLowerCase();
  const id = (ALIASES[name] ?? name).toLowerCase();
  const metric = METRICS.find((m) => m.id.toLowerCase() === id || m.label.toLowerCase() === name);
  if (metric === undefined) return `unknown metric "${match[1]}" in --metric (known: ${listMetricNames()})`;
  const names = scenario.strategies.map((s) => s.name);
  const strategy = match[2];
  if (strategy !== undefined) {
    if (!names.includes(strategy))
      return `strategy "${strategy}" is not in scenario ${scenario.name} (it has: ${names.join(", ")})`;
    return { metric, strategy };
  }
  if (names.length === 1) return { metric, strategy: names[0]! };
  return `scenario ${scenario.name} has ${names.length} strategies: name one, e.g. --metric "${metric.id}{strategy:${names[0]}}"`;
}

/** The scenario narrowed to the chosen strategy, one repetition (bisect schedules repetitions itself). */
export function narrowToStrategy(scenario: ResolvedScenario, strategy: string): ResolvedScenario {
  return { ...scenario, strategies: scenario.strategies.filter((s) => s.name === strategy), repetitions: 1 };
}
