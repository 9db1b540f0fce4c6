// The markdown summary (GitHub step summaries, PR comments): needs, per-strategy table and thresholds.
import { appendFileSync } from "node:fs";
import type { Results } from "../results/schema.ts";
import { checkThresholds } from "../gate/check-thresholds.ts";
import { describeConfig, formatValue, FSYNC_SCOPE_NOTE, trimNumber } from "./format.ts";
import { summarizeStrategies } from "./strategy-summary.ts";
import { answerNeeds } from "./verdict.ts";

// Escapes the characters that break a markdown table cell.
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

// A markdown table from a header and rows.
export function renderMarkdownTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align?: readonly ("l" | "r")[],
): string {
  const rule = header.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : ":---"));
  return [header.map(cell), rule, ...rows.map((row) => row.map(cell))]
    .map((row) => `| ${row.join(" | ")} |`)
    .join("\n");
}

/** The markdown summary of a results file. */
export function renderMarkdown(results: Results): string {
  const env = results.environment;
  const summaries = summarizeStrategies(results);
  const floor = results.diskFloor.measured
    ? `disk floor p50 ${Math.round(results.diskFloor.p50Us)} µs / p99 ${Math.round(results.diskFloor.p99Us)} µs`
    : "disk floor not measured";
  const needs = answerNeeds(results).map((a) => [
    a.need,
    a.tied.length > 1
      ? `tie: ${a.tied.map((t) => `**${t}**`).join(", ")}`
      : a.strategy === undefined
        ? "—"
        : `**${a.strategy}**`,
    a.note === "" ? a.evidence : `${a.evidence}<br>${a.note}`,
  ]);
  const strategyRows = summaries.map((s) => [
    `**${s.strategy}**<br>${describeConfig(s.config)}`,
    formatValue(s.values["throughput.opsPerSec"], "ops/s"),
    formatValue(s.values["latency.p99Ms"], "ms"),
    s.values["fsync.p99Us"] === undefined
      ? "–"
      : `${formatValue(s.values["fsync.p99Us"], "µs")}${s.fsyncFloorRatioP99 === undefined ? "" : ` (${trimNumber(s.fsyncFloorRatioP99)}× floor)`}`,
    formatValue(s.values["durability.lost"], "count"),
    formatValue(s.values["durability.lossWindowMs"], "ms"),
    formatValue(s.values["recovery.readyMs"], "ms"),
    formatValue(s.values["rewrite.durationMs"], "ms"),
  ]);
  const checks = checkThresholds(results);
  const thresholdLines =
    checks.length === 0
      ? ["No thresholds set."]
      : checks.map((c) => `- ${c.status === "pass" ? "✅" : "❌"} ${c.message.replace(/^(\S+)/, "`$1`")}`);
  return [
    `## persistlab: ${results.scenario.name}`,
    "",
    `${env.engine.name} ${env.engine.version} · ${env.runtime.name} ${env.runtime.version} · ${env.cpus} CPU · ${floor} · ${results.runs.length} runs (${results.status})`,
    "",
    "### Which strategy for which need",
    "",
    renderMarkdownTable(["If you need…", "use", "measured"], needs),
    "",
    "### Strategies",
    "",
    renderMarkdownTable(
      ["strategy", "throughput", "p99", "fsync p99", "acked lost", "loss window", "recovery", "rewrite"],
      strategyRows,
      ["l", "r", "r", "r", "r", "r", "r", "r"],
    ),
    "",
    `The ${FSYNC_SCOPE_NOTE}.`,
    "",
    "### Thresholds",
    "",
    ...thresholdLines,
    "",
  ].join("\n");
}

/** Appends markdown to $GITHUB_STEP_SUMMARY when set; returns whether it wrote. */
export function writeStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env["GITHUB_STEP_SUMMARY"];
  if (file === undefined || file === "") return false;
  appendFileSync(file, `${markdown}\n`);
  return true;
}
