// Long runs tell where they are: the expected duration of a scenario (computed from its runs, phases and seeded
// fault schedule), shown by `list` and at the start of `run`; off a terminal, `run` prints a progress line to
// stderr at a fixed interval (shortened here through PERSISTLAB_PROGRESS_INTERVAL) with the strategy i of n, the
// phase, elapsed and expected times, ops/s and the faults done and planned.
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatClock, readProgressInterval } from "../../../src/harness/cli/progress.ts";
import { HARNESS_EXTENSIONS } from "../../../src/harness/api/extensions.ts";
import { estimateScenarioDuration, formatEstimate } from "../../../src/harness/run/estimate-duration.ts";
import { loadScenarioFile, parseScenario } from "../../../src/harness/scenario/load.ts";

const CLI = join(import.meta.dirname, "../../../dist/bin/persistlab.js");
const PROGRESS_LINE =
  /^persistlab: strategy (\d+)\/(\d+) (\S+) \| phase (\S+) \| run (\S+) of ~(\S+) \| total (\S+) of ~(\S+) \| ([\d,]+) ops\/s \| faults (?:(\d+)\/(\d+)|none planned)$/;

describe("expected duration", () => {
  it("follows the scenario: runs, phases, the fault schedule, the engine and --quick", () => {
    const full = estimateScenarioDuration(
      loadScenarioFile("scenarios/crash-loss.json", { extensions: HARNESS_EXTENSIONS }),
      "bundled",
    );
    expect(full.runs.map((run) => run.id)).toEqual([
      "none#1",
      "rdb#1",
      "aof-no#1",
      "aof-everysec#1",
      "aof-always#1",
      "hybrid#1",
    ]);
    // 50 faults 0.5-1.2 s apart plus a restart each: minutes per strategy, far less than the 8 min chaos phase.
    for (const run of full.runs) expect(run.ms).toBeGreaterThan(60_000);
    for (const run of full.runs) expect(run.ms).toBeLessThan(8 * 60_000);
    // AOF strategies replay their file at every restart.
    expect(full.runs[2]!.ms).toBeGreaterThan(full.runs[0]!.ms);
    expect(full.totalMs).toBeGreaterThan(10 * 60_000);
    const onRedis = estimateScenarioDuration(
      loadScenarioFile("scenarios/crash-loss.json", { extensions: HARNESS_EXTENSIONS }),
      "redis-server",
    );
    expect(onRedis.totalMs).toBeLessThan(full.totalMs);
    const quick = estimateScenarioDuration(
      loadScenarioFile("scenarios/crash-loss.json", { quick: true, extensions: HARNESS_EXTENSIONS }),
      "bundled",
    );
    expect(quick.totalMs).toBeLessThan(full.totalMs / 3);
    // Without a nemesis: the phases' durations, run after run.
    const plain = parseScenario({
      name: "p",
      strategies: ["none", "aof-always"],
      repetitions: 2,
      phases: [
        { name: "a", duration: "30s" },
        { name: "b", duration: "90s" },
      ],
      recovery: false,
    });
    const plainEstimate = estimateScenarioDuration(plain, "redis-server");
    expect(plainEstimate.runs).toHaveLength(4);
    for (const run of plainEstimate.runs) expect(run.ms).toBeGreaterThanOrEqual(120_000);
    for (const run of plainEstimate.runs) expect(run.ms).toBeLessThan(130_000);
  });

  it("formats estimates and clocks", () => {
    expect(formatEstimate(12_000)).toBe("about 10 s");
    expect(formatEstimate(19.4 * 60_000)).toBe("about 19 min");
    expect(formatEstimate(2.5 * 3_600_000)).toBe("about 2.5 h");
    expect(formatClock(65_000)).toBe("1m05s");
    expect(formatClock(3_725_000)).toBe("1h02m");
    expect(readProgressInterval({ PERSISTLAB_PROGRESS_INTERVAL: "2s" })).toBe(2000);
    expect(readProgressInterval({ PERSISTLAB_PROGRESS_INTERVAL: "750" })).toBe(750);
    expect(readProgressInterval({})).toBe(10_000);
  });

  it("is listed by `persistlab list` for every ready-made scenario", async () => {
    const listed = await execa("node", [CLI, "list"]);
    const durations = listed.stdout.split("\n").filter((line) => line.includes("(scenarios/"));
    expect(durations.length).toBeGreaterThanOrEqual(7);
    for (const line of durations)
      expect(line).toMatch(
        /; takes about \d+(\.\d)? (s|min|h), --quick about \d+(\.\d)? (s|min|h) \(estimate, bundled engine\)\)$/,
      );
  });
});

describe("progress off a terminal", () => {
  it("prints the expected duration, then a progress line on stderr at every interval", async () => {
    const dir = mkdtempSync(join(tmpdir(), "persistlab-progress-"));
    try {
      const file = join(dir, "chaos.json");
      writeFileSync(
        file,
        JSON.stringify({
          name: "progress-check",
          seed: 7,
          strategies: ["none", "aof-everysec"],
          recovery: false,
          workload: { keys: { count: 200 }, values: 32, mix: { SET: 1 }, history: "writes" },
          phases: [{ name: "chaos", executor: "open", rate: 500, duration: "5s", clients: 4 }],
          nemesis: { kills: 3, interval: { min: "600ms", max: "900ms" }, faults: { kill: 1 } },
        }),
      );
      const arrivals: Array<{ atMs: number; line: string }> = [];
      const child = execa("node", [CLI, "run", file, "--out", join(dir, "out")], {
        env: { PERSISTLAB_PROGRESS_INTERVAL: "400ms" },
        reject: false,
        timeout: 180_000,
      });
      let pending = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) arrivals.push({ atMs: performance.now(), line });
      });
      const result = await child;
      expect(result.exitCode, arrivals.map((a) => a.line).join("\n")).toBe(0);
      expect(arrivals[0]?.line).toMatch(
        /^persistlab: progress-check: 2 run\(s\) on the bundled engine, expected about \d+ s \(an estimate from the scenario's phases, fault schedule and restarts\)$/,
      );
      expect(
        arrivals.filter((a) =>
          /^persistlab: strategy \d\/2 \S+ starting \(expected ~\S+; \S+ of ~\S+ so far\)$/.test(a.line),
        ),
      ).toHaveLength(2);
      const progress = arrivals.filter(
        (a) => a.line.startsWith("persistlab: strategy") && !a.line.includes("starting"),
      );
      for (const { line } of progress) expect(line).toMatch(PROGRESS_LINE);
      const parsed = progress.map(({ line }) => PROGRESS_LINE.exec(line)!);
      expect(new Set(parsed.map((match) => match[3]))).toEqual(new Set(["none#1", "aof-everysec#1"]));
      expect(parsed.every((match) => match[2] === "2")).toBe(true);
      // Before the engine is up the schedule is not made yet; in the chaos phase every line counts the 3 faults.
      expect(parsed.filter((match) => match[4] === "chaos").every((match) => match[11] === "3")).toBe(true);
      expect(parsed.some((match) => match[4] === "chaos" && Number(match[9]!.replaceAll(",", "")) > 0)).toBe(true);
      expect(parsed.some((match) => Number(match[10]) > 0)).toBe(true);
      // A line at every interval: no gap between two lines much longer than 400 ms (the machine may be loaded).
      const times = progress.map((a) => a.atMs);
      expect(times.length).toBeGreaterThanOrEqual(8);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps)).toBeLessThan(2500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});
