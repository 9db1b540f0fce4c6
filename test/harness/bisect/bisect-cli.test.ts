// `persistlab bisect` end to end through the compiled CLI, on a real git history of engine wrappers around
// Debian's redis-server (engine-repo.ts): real builds, real `git bisect run`, real engine processes. It names
// the commit that made every write fsync (throughput) while skipping the commit that does not build, the commit
// that acknowledges writes it never keeps (durability.lost), reports a change below the noise inconclusive,
// and leaves the repository as it was, also when interrupted with Ctrl-C.
import { execa } from "execa";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BisectReport } from "../../../src/harness/bisect/report-model.ts";
import { SKIP_WITHOUT_REDIS } from "../helpers/redis.ts";
import { createEngineRepo, snapshotRepo, type EngineRepo } from "./engine-repo.ts";

const ROOT = join(import.meta.dirname, "../../..");
const CLI = join(ROOT, "dist/bin/persistlab.js");
const FIXTURES = join(import.meta.dirname, "fixtures");

describe.skipIf(SKIP_WITHOUT_REDIS)("persistlab bisect on a history of redis-server wrappers", () => {
  let repo: EngineRepo;
  let before: Record<string, string>;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error("dist/ is missing: run `npm run build` before the integration tests");
    repo = createEngineRepo();
    // The user's checkout is mid-work: an untracked file and an uncommitted edit, which bisect must neither
    // build nor touch (it works in worktrees at the commits).
    writeFileSync(join(repo.dir, "notes.txt"), "my notes\n");
    appendFileSync(join(repo.dir, "engine.sh"), "# half-done edit\n");
    before = snapshotRepo(repo.dir);
  });

  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of [...scratch, ...(repo === undefined ? [] : [repo.dir])])
      rmSync(dir, { recursive: true, force: true });
  });

  // Starts a bisect on the fixture repository; out is a fresh folder.
  const startBisect = (args: string[]) => {
    const parent = mkdtempSync(join(tmpdir(), "persistlab-bisect-out-"));
    scratch.push(parent);
    const out = join(parent, "out");
    const child = execa(
      "node",
      [
        CLI,
        "bisect",
        "--repo",
        repo.dir,
        "--build",
        "sh build.sh",
        "--engine-bin",
        "out/engine",
        "--out",
        out,
        ...args,
      ],
      { reject: false, timeout: 170_000 },
    );
    return { child, out };
  };
  const readReport = (out: string) => JSON.parse(readFileSync(join(out, "bisect.json"), "utf8")) as BisectReport;

  it("names the commit that made every write fsync, skipping the commit that does not build", {
    timeout: 180_000,
  }, async () => {
    const { child, out } = startBisect([
      "--good",
      repo.commits.base,
      "--bad",
      repo.commits.comment,
      "--scenario",
      join(FIXTURES, "throughput.json"),
      "--metric",
      "throughput.opsPerSec",
    ]);
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = readReport(out);
    expect(report.ends).toMatchObject({ status: "regressed", contrast: { verdict: "regressed" } });
    expect(report.outcome).toMatchObject({
      status: "found",
      commit: repo.commits.fsyncAlways,
      subject: "fsync every write",
    });
    const byCommit = new Map(report.steps.map((step) => [step.commit, step]));
    expect(byCommit.get(repo.commits.brokenBuild)).toMatchObject({
      verdict: "skip",
      build: { ok: false },
      repetitions: 0,
    });
    expect(byCommit.get(repo.commits.brokenBuild)?.reason).toMatch(/does not build: build exited with 1/);
    const guilty = byCommit.get(repo.commits.fsyncAlways);
    expect(guilty).toMatchObject({ verdict: "bad", vsGood: { verdict: "regressed" } });
    // Every measured step carries its figures and a confidence interval around the change.
    for (const step of report.steps.filter((s) => s.verdict !== "skip")) {
      expect(step.figures?.candidate.samples.length).toBeGreaterThanOrEqual(3);
      expect(step.vsGood!.changeLow).toBeLessThanOrEqual(step.vsGood!.change);
      expect(step.vsGood!.changeHigh).toBeGreaterThanOrEqual(step.vsGood!.change);
    }
    expect(String(result.stdout)).toContain(`first bad commit: ${repo.commits.fsyncAlways} fsync every write`);
    expect(String(result.stdout)).toMatch(/evidence: vs good -\d+\.\d % \[-\d+\.\d, -\d+\.\d\]/);
    expect(readFileSync(join(out, "bisect.html"), "utf8")).toContain(
      "First bad commit: <code>" + repo.commits.fsyncAlways,
    );
    expect(snapshotRepo(repo.dir)).toEqual(before);
  });

  it("names the commit that acknowledges writes it never keeps (durability.lost)", { timeout: 180_000 }, async () => {
    const { child, out } = startBisect([
      "--good",
      repo.commits.fixBuild,
      "--bad",
      repo.commits.comment2,
      "--scenario",
      join(FIXTURES, "durability.json"),
      "--metric",
      "durability.lost{strategy:aof-always}",
    ]);
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = readReport(out);
    expect(report.ends?.figures.good.samples.every((lost) => lost === 0)).toBe(true);
    expect(report.ends?.figures.bad.mean).toBeGreaterThan(0);
    expect(report.outcome).toMatchObject({ status: "found", commit: repo.commits.dropAof });
    // The fsync commit loses nothing to a SIGKILL: if it was tested it was judged good.
    const fsync = report.steps.find((step) => step.commit === repo.commits.fsyncAlways);
    if (fsync !== undefined) expect(fsync.verdict).toBe("good");
    expect(snapshotRepo(repo.dir)).toEqual(before);
  });

  // Four repetitions a side, so that Mann-Whitney can reach p < 0.05 and must agree with the CI: with three,
  // compare's rule lets the CI alone decide, which a heavily loaded machine's drift can fool.
  it("reports a change smaller than the noise inconclusive instead of guessing", { timeout: 120_000 }, async () => {
    const { child, out } = startBisect([
      "--good",
      repo.commits.base,
      "--bad",
      repo.commits.hz,
      "--scenario",
      join(FIXTURES, "throughput.json"),
      "--metric",
      "throughput",
      "--min-effect",
      "25%",
      "--min-repetitions",
      "4",
      "--max-repetitions",
      "4",
    ]);
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(93);
    expect(String(result.stderr)).toContain("bisect could not name one first bad commit (inconclusive)");
    const report = readReport(out);
    expect(report.outcome.status).toBe("inconclusive");
    expect(report.ends).toMatchObject({ status: "undecided", repetitions: 4 });
    expect(report.steps).toEqual([]);
    expect(snapshotRepo(repo.dir)).toEqual(before);
  });

  it("leaves the repository as it was when interrupted with Ctrl-C mid-bisection", { timeout: 120_000 }, async () => {
    const { child } = startBisect([
      "--good",
      repo.commits.base,
      "--bad",
      repo.commits.comment,
      "--scenario",
      join(FIXTURES, "throughput.json"),
      "--metric",
      "throughput",
    ]);
    let stderr = "";
    let workspace: string | undefined;
    await new Promise<void>((resolve) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        workspace ??= /workspace: (\S+)/.exec(stderr)?.[1];
        // Interrupt once a step measures a commit (git bisect is running, the checkout is mid-history).
        if (/step \d: candidate #1/.test(stderr)) resolve();
      });
      void child.then(() => resolve());
    });
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode, stderr + String(result.stderr)).toBe(130);
    expect(workspace).toBeDefined();
    expect(existsSync(workspace!)).toBe(false);
    expect(snapshotRepo(repo.dir)).toEqual(before);
  });

  it("rejects bad input with a one-line error that names the fix", async () => {
    const { child } = startBisect([
      "--good",
      repo.commits.base,
      "--bad",
      repo.commits.comment,
      "--scenario",
      join(FIXTURES, "throughput.json"),
      "--metric",
      "speed",
    ]);
    const result = await child;
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/^Error: unknown metric "speed" in --metric \(known: throughput.opsPerSec/);
    const reversed = await startBisect([
      "--good",
      repo.commits.comment,
      "--bad",
      repo.commits.base,
      "--scenario",
      join(FIXTURES, "throughput.json"),
      "--metric",
      "throughput",
    ]).child;
    expect(reversed.exitCode).toBe(2);
    expect(String(reversed.stderr)).toContain("is not an ancestor of --bad");
    expect(snapshotRepo(repo.dir)).toEqual(before);
  });
});
