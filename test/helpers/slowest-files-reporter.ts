// A vitest reporter that prints, after the run, the test files that took longest (and how much of the run
// all files took), so a CI log shows where the 15-minute budget goes without a local rerun. With
// PERSISTLAB_RECORD_DURATIONS=1 it also writes every file's duration to test/expected-durations.json, the
// order longest-first-sequencer.ts starts files in.
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";
import { EXPECTED_DURATIONS_FILE } from "./longest-first-sequencer.ts";

const SHOWN = 15;

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules.map((module) => ({
      file: module.relativeModuleId,
      project: module.project.name,
      ms: module.diagnostic().duration,
    }));
    timed.sort((a, b) => b.ms - a.ms);
    const totalMs = timed.reduce((sum, entry) => sum + entry.ms, 0);
    const lines = [`slowest test files (${timed.length} files, ${(totalMs / 1000).toFixed(0)} s of test time in all):`];
    for (const entry of timed.slice(0, SHOWN))
      lines.push(`  ${(entry.ms / 1000).toFixed(1).padStart(6)} s  ${entry.project}  ${entry.file}`);
    process.stdout.write(lines.join("\n") + "\n");
    if (process.env["PERSISTLAB_RECORD_DURATIONS"] === "1") {
      const table = Object.fromEntries(
        timed.filter((entry) => entry.project === "node").map((entry) => [entry.file, Math.round(entry.ms)]),
      );
      writeFileSync(EXPECTED_DURATIONS_FILE, JSON.stringify(table, null, 1) + "\n");
      process.stdout.write(`expected durations written to ${EXPECTED_DURATIONS_FILE}\n`);
    }
  }
}
