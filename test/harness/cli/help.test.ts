// Every command's --help at 80, 100 and 160 columns: each example command stands whole on one line (never
// wrapped in the middle), no line is wider than the terminal, and the last line points to the exit-code table.
// `--version` on both binaries prints package.json's version.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../src/harness/cli/main.ts";
import { EXIT_CODES_EPILOGUE, MAX_EXAMPLE_LENGTH, type Example } from "../../../src/harness/cli/help.ts";
import { CHECK_AOF_EXAMPLES } from "../../../src/harness/cli/check-aof.ts";
import { CHECK_RDB_EXAMPLES } from "../../../src/harness/cli/check-rdb.ts";
import { COMPARE_EXAMPLES } from "../../../src/harness/cli/compare.ts";
import { GATE_EXAMPLES } from "../../../src/harness/cli/gate.ts";
import { LIST_EXAMPLES } from "../../../src/harness/cli/list.ts";
import { MERGE_EXAMPLES } from "../../../src/harness/cli/merge.ts";
import { MICRO_EXAMPLES } from "../../../src/harness/cli/micro.ts";
import { PROBE_DISK_EXAMPLES } from "../../../src/harness/cli/probe-disk.ts";
import { RECOMMEND_EXAMPLES } from "../../../src/harness/cli/recommend.ts";
import { REPORT_EXAMPLES } from "../../../src/harness/cli/report.ts";
import { RUN_EXAMPLES } from "../../../src/harness/cli/run.ts";
import { VALIDATE_EXAMPLES } from "../../../src/harness/cli/validate.ts";
import { runCli, runNode, SERVER } from "./cli-process.ts";

const COMMANDS: ReadonlyArray<readonly [string, readonly Example[]]> = [
  ["run", RUN_EXAMPLES],
  ["validate", VALIDATE_EXAMPLES],
  ["list", LIST_EXAMPLES],
  ["probe-disk", PROBE_DISK_EXAMPLES],
  ["micro", MICRO_EXAMPLES],
  ["report", REPORT_EXAMPLES],
  ["gate", GATE_EXAMPLES],
  ["compare", COMPARE_EXAMPLES],
  ["recommend", RECOMMEND_EXAMPLES],
  ["merge", MERGE_EXAMPLES],
  ["check-aof", CHECK_AOF_EXAMPLES],
  ["check-rdb", CHECK_RDB_EXAMPLES],
];
const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
let stdout = "";

beforeEach(() => {
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  // yargs prints help with console.log, which vitest would otherwise take over.
  vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    stdout += `${parts.map(String).join(" ")}\n`;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

// The help text of `argv` at a terminal width of `columns` (off a terminal, $COLUMNS sets the width).
async function helpAt(columns: number, argv: string[]): Promise<string> {
  stdout = "";
  vi.stubEnv("COLUMNS", String(columns));
  const columnsBefore = Object.getOwnPropertyDescriptor(process.stdout, "columns");
  Object.defineProperty(process.stdout, "columns", { value: undefined, configurable: true });
  try {
    expect(await main(argv)).toBe(0);
  } finally {
    if (columnsBefore === undefined) delete (process.stdout as { columns?: number }).columns;
    else Object.defineProperty(process.stdout, "columns", columnsBefore);
  }
  return stdout;
}

describe("--help layout", () => {
  for (const columns of [80, 100, 160]) {
    it(`keeps every example command whole at ${columns} columns`, async () => {
      for (const [command, examples] of COMMANDS) {
        expect(examples.length, command).toBeGreaterThan(0);
        const lines = (await helpAt(columns, [command, "--help"])).trimEnd().split("\n");
        for (const [example, description] of examples) {
          expect(example.length, example).toBeLessThanOrEqual(MAX_EXAMPLE_LENGTH);
          expect(example.startsWith(`persistlab ${command}`), example).toBe(true);
          const at = lines.indexOf(`  ${example}`);
          expect(at, `${command} --help at ${columns}: "${example}" on one line`).toBeGreaterThan(0);
          expect(lines[at + 1]?.trim()).toBe(description);
        }
        for (const line of lines)
          expect(line.length, `${command} --help at ${columns}: ${line}`).toBeLessThanOrEqual(Math.min(columns, 110));
        expect(lines[lines.length - 1]).toBe(EXIT_CODES_EPILOGUE);
      }
    });
  }

  it("the root --help points to the exit-code table too", async () => {
    const text = await helpAt(80, ["--help"]);
    expect(text.trimEnd().endsWith(EXIT_CODES_EPILOGUE)).toBe(true);
  });

  it("a real process honours $COLUMNS off a terminal", () => {
    const outcome = runCli(["compare", "--help"], { env: { COLUMNS: "80" } });
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain(
      "\n  persistlab compare --interleave --a-bin redis-server --b-bin bundled smoke\n",
    );
    expect(outcome.stdout.split("\n").every((line) => line.length <= 80)).toBe(true);
  });
});

describe("--version", () => {
  it("persistlab --version prints package.json's version", () => {
    const outcome = runCli(["--version"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(`persistlab ${VERSION}\n`);
  });
  it("persistlab-server --version and -v answer in redis-server's one-line layout", () => {
    for (const flag of ["--version", "-v"]) {
      const outcome = runNode(SERVER, [flag]);
      expect(outcome.status).toBe(0);
      expect(outcome.stdout).toMatch(
        new RegExp(
          `^persistlab-server v=${VERSION.replace(/\./g, "\\.")} redis=7\\.0\\.15 sha=\\S+ malloc=\\S+ bits=64 build=persistlab\\n$`,
        ),
      );
    }
  });
});
