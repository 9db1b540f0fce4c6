// Markdown (GitHub step summary) and terminal summaries.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown, writeStepSummary } from "../../../src/harness/report/markdown.ts";
import { readResults } from "../../../src/harness/report/read-results.ts";
import { renderTerminalSummary } from "../../../src/harness/report/terminal.ts";

describe("summaries", () => {
  it("markdown has the needs, a row per strategy and the thresholds", () => {
    const markdown = renderMarkdown(readResults("test/fixtures/results/smoke-threshold-fail.json"));
    expect(markdown).toContain("## persistlab: smoke");
    expect(markdown).toContain("| No acknowledged write lost | **aof-always** |");
    expect(markdown).toMatch(
      /\| \*\*aof-everysec\*\*<br>AOF everysec \| 33,887 ops\/s \| 1\.91 ms \| 2\.50 ms \(1\.11× floor\) \| 2,904 \| 1\.25 s \| 351 ms \| 2\.61 s \|$/m,
    );
    expect(markdown).toContain("- ❌ `latency` p(99)<3 [aof-always]: FAIL, value 4.60 ms, limit < 3 ms");
    expect(markdown).toContain("- ✅ `latency` p(99)<3 [aof-everysec]: pass");
    expect(markdown).toContain("The fsync figures count every fdatasync recorded, a rewrite phase's included");
  });

  it("writes the step summary only when GITHUB_STEP_SUMMARY is set, appending", () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-summary-"));
    try {
      const file = join(dir, "summary.md");
      expect(writeStepSummary("x", {})).toBe(false);
      expect(writeStepSummary("first", { GITHUB_STEP_SUMMARY: file })).toBe(true);
      writeStepSummary("second", { GITHUB_STEP_SUMMARY: file });
      expect(readFileSync(file, "utf8")).toBe("first\nsecond\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("terminal summary aligns one row per strategy", () => {
    const lines = renderTerminalSummary(readResults("test/fixtures/results/strategy-matrix.json")).split("\n");
    expect(lines[0]).toBe("strategy-matrix (persistlab-server 0.1.0)");
    expect(lines).toHaveLength(3 + 6);
    expect(lines[8]).toMatch(
      /^hybrid\s+2\s+33,532\s+0\.45 ms\s+2\.08 ms\s+2\.59 ms\s+1\.15\s+1,828\s+1\.15 s\s+228 ms\s+2\.57 s$/,
    );
    expect(new Set(lines.slice(1).map((l) => l.length)).size).toBeLessThanOrEqual(2);
  });
});
