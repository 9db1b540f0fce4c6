// docs/cli.md against the code: its one exit-code table lists exactly the codes of shared/exit-codes.ts
// (same numbers, same names), it has a section for every command and a row for every ready-made scenario.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../../src/harness/shared/exit-codes.ts";

const doc = readFileSync("docs/cli.md", "utf8");
const COMMANDS = [
  "run",
  "validate",
  "list",
  "schema",
  "probe-disk",
  "micro",
  "report",
  "gate",
  "compare",
  "recommend",
  "merge",
  "check-aof",
  "check-rdb",
  "bisect",
];

// The rows of the markdown table that follows `heading`, as cell arrays.
function tableAfter(heading: string): string[][] {
  const lines = doc.slice(doc.indexOf(heading)).split("\n");
  const start = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("docs/cli.md", () => {
  it("has exactly one exit-code table, matching EXIT_CODES", () => {
    expect(doc.match(/^## Exit codes$/gm)).toHaveLength(1);
    const rows = tableAfter("## Exit codes");
    expect(rows.map(([code, name]) => [Number(code), name])).toEqual(
      Object.entries(EXIT_CODES)
        .map(([name, code]) => [code, name])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    for (const row of rows) expect(row[2]?.length ?? 0, `meaning of ${row[0]}`).toBeGreaterThan(20);
  });

  it("documents every command in a section of its own", () => {
    for (const command of COMMANDS) {
      expect(doc, command).toMatch(new RegExp(`^## ${command}$`, "m"));
      expect(doc, command).toContain(`[\`${command}`);
    }
  });

  it("lists every ready-made scenario", () => {
    const names = readdirSync("scenarios")
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.replace(/\.json$/, ""));
    expect(names.length).toBeGreaterThanOrEqual(8);
    const rows = tableAfter("## Ready-made scenarios").map(([name]) => name?.replace(/`/g, ""));
    expect([...rows].sort()).toEqual([...names].sort());
  });
});
