// Evaluates a results file's scenario thresholds for every strategy they apply to. Pure.
import type { Results } from "../results/schema.ts";
import { listStrategies } from "../report/strategy-summary.ts";
import { readThresholdValue } from "./threshold-metrics.ts";
import { compareWithLimit, parseThresholdExpression, parseThresholdKey } from "./threshold-parse.ts";

/** The outcome of one threshold for one strategy. */
export interface ThresholdCheck {
  /** As written in the scenario: key and expression. */
  key: string;
  threshold: string;
  strategy: string;
  status: "pass" | "fail" | "invalid";
  value: number | undefined;
  unit: string;
  /** One line naming the metric, the value and the limit. */
  message: string;
}

// A compact number for messages.
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** Checks every threshold of results.scenario.thresholds; unknown metrics give status "invalid". */
export function checkThresholds(results: Results): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  const strategies = listStrategies(results);
  for (const [rawKey, list] of Object.entries(results.scenario.thresholds ?? {})) {
    const key = parseThresholdKey(rawKey);
    for (const { threshold } of list) {
      const base = { key: rawKey, threshold, unit: "" };
      const expression = parseThresholdExpression(threshold);
      if (typeof key === "string" || typeof expression === "string") {
        checks.push({
          ...base,
          strategy: "*",
          status: "invalid",
          value: undefined,
          message: `${rawKey} ${threshold}: ${typeof key === "string" ? key : String(expression)}`,
        });
        continue;
      }
      const wanted = key.tags["strategy"];
      const targets = wanted === undefined ? strategies : strategies.filter((s) => s === wanted);
      if (targets.length === 0) {
        checks.push({
          ...base,
          strategy: wanted ?? "*",
          status: "fail",
          value: undefined,
          message: `${rawKey} ${threshold}: no runs of strategy "${wanted}" in these results`,
        });
        continue;
      }
      for (const strategy of targets) {
        const runs = results.runs.filter((run) => run.strategy === strategy && run.status === "ok");
        const read = readThresholdValue(runs, key, expression);
        const label = `${rawKey} ${threshold} [${strategy}]`;
        if (read.status === "unknown-name") {
          checks.push({ ...base, strategy, status: "invalid", value: undefined, message: `${label}: ${read.reason}` });
        } else if (read.status === "not-measured") {
          checks.push({
            ...base,
            strategy,
            status: "fail",
            value: undefined,
            message: `${label}: FAIL, ${read.reason}`,
          });
        } else {
          const pass = compareWithLimit(read.value, expression.operator, expression.limit);
          const unit = read.unit === "" ? "" : ` ${read.unit}`;
          checks.push({
            ...base,
            strategy,
            status: pass ? "pass" : "fail",
            value: read.value,
            unit: read.unit,
            message: `${label}: ${pass ? "pass" : "FAIL"}, value ${formatNumber(read.value)}${unit}, limit ${expression.operator} ${formatNumber(expression.limit)}${unit}`,
          });
        }
      }
    }
  }
  return checks;
}
