// A vitest sequencer that starts the test files expected to take longest first (longest-processing-time
// order), from the durations recorded in test/expected-durations.json. With two workers and a few files of
// two to four minutes, vitest's default order on a fresh checkout (no result cache: larger files first) left
// a long file to run alone at the end. Files not in the table count as a second. Refresh the table with
// `PERSISTLAB_RECORD_DURATIONS=1 npx vitest run --project node` (slowest-files-reporter.ts writes it).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Where the expected durations (ms per file, relative to the project root) live. */
export const EXPECTED_DURATIONS_FILE = join(import.meta.dirname, "..", "expected-durations.json");
const UNKNOWN_MS = 1000;
const ROOT = join(import.meta.dirname, "..", "..");

function readExpectedDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(EXPECTED_DURATIONS_FILE, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const expected = readExpectedDurations();
    const durationOf = (spec: TestSpecification): number => expected[relative(ROOT, spec.moduleId)] ?? UNKNOWN_MS;
    // Projects run one after another, as in BaseSequencer; within one, longest first.
    return [...files].sort((a, b) =>
      a.project.name === b.project.name ? durationOf(b) - durationOf(a) : a.project.name < b.project.name ? -1 : 1,
    );
  }
}
