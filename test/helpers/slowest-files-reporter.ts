// A vitest reporter that prints, after the run, the test files that took longest (and how much of the run
// all files took), so a CI log shows where the 15-minute budget goes without a local rerun.
import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 15;

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules.map((module) => ({ file: module.relativeModuleId, project: module.project.name, ms: module.diagnostic().duration }));
    timed.sort((a, b) => b.ms - a.ms);
    const totalMs = timed.reduce((sum, entry) => sum + entry.ms, 0);
    const lines = [`slowest test files (${timed.length} files, ${(totalMs / 1000).toFixed(0)} s of test time in all):`];
    for (const entry of timed.slice(0, SHOWN)) lines.push(`  ${(entry.ms / 1000).toFixed(1).padStart(6)} s  ${entry.project}  ${entry.file}`);
    process.stdout.write(lines.join("\n") + "\n");
  }
}
