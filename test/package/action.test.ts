// The composite GitHub Action (action.yml), its steps run in bash as the runner would: inputs and earlier steps'
// outputs substituted into each step's env, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY as files. It installs the
// packed tarball, runs the smoke scenario (`persistlab run smoke --quick` from the installed package) and gates:
// once passing, once failing against a baseline it cannot match; exit codes, outputs and the summary are checked.
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../helpers/servers.ts";
import { packProject, ROOT, VERSION } from "./packed.ts";

interface ActionStep {
  id?: string;
  name: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as Action;

// Reads a $GITHUB_OUTPUT file (name=value lines).
function readOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

let outputFiles = 0;

// The action's steps in order, as GitHub runs a composite action (a failed step ends it): returns the exit code and outputs.
async function runAction(inputs: Record<string, string>, runner: { workspace: string; temp: string; summary: string }) {
  const values = {
    ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ""])),
    ...inputs,
  };
  const stepOutputs: Record<string, Record<string, string>> = {};
  const evaluate = (text: string): string =>
    text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
      const [scope, name, key, field] = expression.split(".");
      if (scope === "inputs" && name !== undefined && name in values) return values[name] ?? "";
      if (scope === "runner" && name === "temp") return runner.temp;
      if (scope === "steps" && name !== undefined && key === "outputs" && field !== undefined)
        return stepOutputs[name]?.[field] ?? "";
      throw new Error(`action.yml uses an expression this test does not model: ${expression}`);
    });
  let exitCode = 0;
  let output = "";
  for (const [index, step] of action.runs.steps.entries()) {
    expect(step.shell).toBe("bash");
    const outputFile = join(runner.temp, `output-${++outputFiles}-${index}`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v))]));
    const result = await execa("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", evaluate(step.run)], {
      cwd: runner.workspace,
      reject: false,
      timeout: 240_000,
      all: true,
      env: {
        ...env,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: runner.summary,
        RUNNER_TEMP: runner.temp,
        CI: "true",
      },
    });
    output += result.all ?? "";
    if (step.id !== undefined) stepOutputs[step.id] = readOutputs(outputFile);
    exitCode = result.exitCode ?? 1;
    if (exitCode !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, evaluate(v.value)]));
  return { exitCode, outputs, output };
}

let tarball: string;
let runner: { workspace: string; temp: string; summary: string };

beforeAll(async () => {
  ({ tarball } = await packProject());
  const base = makeTempDir("action");
  runner = {
    workspace: join(base, "workspace"),
    temp: join(base, "runner-temp"),
    summary: join(base, "step-summary.md"),
  };
  mkdirSync(runner.workspace);
  mkdirSync(runner.temp);
}, 120_000);

describe("action.yml", () => {
  it("is a composite action whose default package is this version", () => {
    expect(action.runs.using).toBe("composite");
    expect(action.inputs["package"]?.default).toBe(`persistlab@${VERSION}`);
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(["scenario", "engine", "engine-bin", "baseline", "out", "max-regression", "quick"]),
    );
  });

  it("installs the package, runs the smoke scenario, passes the gate and writes the summary", async () => {
    const result = await runAction({ package: tarball, scenario: "smoke", quick: "true", out: "reports/pass" }, runner);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.outputs).toEqual({
      results: "reports/pass/results.json",
      report: "reports/pass/report.html",
      "exit-code": "0",
    });
    expect(existsSync(join(runner.workspace, "reports", "pass", "report.html"))).toBe(true);
    const summary = readFileSync(runner.summary, "utf8");
    expect(summary).toContain("## persistlab: smoke");
    expect(summary).toContain("## persistlab gate: smoke");
    expect(summary).toMatch(/gate: PASS/);
  }, 300_000);

  it("fails with the gate's exit code (98) against a baseline 10× faster, and still leaves the report", async () => {
    const passing = JSON.parse(readFileSync(join(runner.workspace, "reports", "pass", "results.json"), "utf8")) as {
      runs: Array<{ metrics: { throughput: { opsPerSec: number } } }>;
    };
    for (const run of passing.runs) run.metrics.throughput.opsPerSec *= 10;
    writeFileSync(join(runner.workspace, "baseline.json"), JSON.stringify(passing));
    writeFileSync(runner.summary, "");
    const result = await runAction(
      {
        package: tarball,
        scenario: "smoke",
        quick: "true",
        out: "reports/fail",
        baseline: "baseline.json",
        "max-regression": "15%",
      },
      runner,
    );
    expect(result.exitCode, result.output).toBe(98);
    expect(result.outputs["exit-code"]).toBe("98");
    // The second run reused the install (same package in the same runner temp).
    expect(result.output).not.toMatch(/added \d+ packages/);
    expect(result.output).toMatch(/throughput\.opsPerSec \[\S+\]: REGRESSION/);
    expect(existsSync(join(runner.workspace, "reports", "fail", "report.html"))).toBe(true);
    const summary = readFileSync(runner.summary, "utf8");
    expect(summary).toContain("## persistlab: smoke");
    expect(summary).toMatch(/gate: FAIL \(regression against the baseline\)/);
  }, 300_000);
});
