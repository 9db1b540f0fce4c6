// report.html in headless Chromium (Debian's /usr/bin/chromium via playwright-core): opens from file://, no console
// errors, every chart canvas drawn with data (pixels in the series colours), screenshot saved to test-artifacts/.
// Reports: a real `persistlab run scenarios/smoke.json` and the recorded strategy-matrix fixture (every chart kind).
import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReportCharts, renderReport } from "../../src/harness/report/html.ts";
import { SERIES_COLORS } from "../../src/harness/report/palette.ts";
import { readResults } from "../../src/harness/report/read-results.ts";
import type { Results } from "../../src/harness/results/schema.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts");
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env["CI"] === "true")
  throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);

// The few DOM shapes the in-page checks use (the project compiles without lib "dom").
interface PageCanvas {
  width: number;
  height: number;
  getContext(
    kind: "2d",
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageElement {
  id: string;
  querySelector(selector: string): PageCanvas | null;
}
interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  body: { getAttribute(name: string): string | null; hasAttribute(name: string): boolean };
}

// What the page reports about its charts.
interface PageCheck {
  consoleErrors: string[];
  chartsDrawn: number;
  canvases: Array<{ id: string; width: number; height: number; seriesPixels: number; inkPixels: number }>;
}

let context: BrowserContext | undefined;
let work = "";

// Opens a report from file:// and measures every chart canvas.
async function inspectReport(htmlFile: string, screenshot: string): Promise<PageCheck> {
  const page = await context!.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("requestfailed", (request) => consoleErrors.push(`request failed: ${request.url()}`));
  await page.goto(`file://${htmlFile}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { document: PageDocument }).document.body.hasAttribute("data-charts-drawn"),
    undefined,
    { timeout: 15_000 },
  );
  const result = await page.evaluate(
    (colors: string[]) => {
      const palette = colors.map(
        (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number],
      );
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const canvases = Array.from(doc.querySelectorAll(".chart")).map((holder) => {
        const canvas = holder.querySelector("canvas");
        if (canvas === null) return { id: holder.id, width: 0, height: 0, seriesPixels: 0, inkPixels: 0 };
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let seriesPixels = 0,
          inkPixels = 0;
        for (let i = 0; i < data.length; i += 4) {
          const r = data[i]!,
            g = data[i + 1]!,
            b = data[i + 2]!,
            a = data[i + 3]!;
          if (a < 200) continue;
          if (r < 245 || g < 245 || b < 245) inkPixels++;
          if (
            palette.some(([pr, pg, pb]) => Math.abs(r - pr) + Math.abs(g - pg) + Math.abs(b - pb) < 40) &&
            !(r === g && g === b)
          )
            seriesPixels++;
        }
        return { id: holder.id, width: canvas.width, height: canvas.height, seriesPixels, inkPixels };
      });
      return { chartsDrawn: Number(doc.body.getAttribute("data-charts-drawn")), canvases };
    },
    [...SERIES_COLORS].filter((c) => c !== "#000000"),
  );
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { consoleErrors, ...result };
}

// Refreshes docs/report-screenshot.png (README): the top of the page plus the first charts, at laptop width.
async function saveDocsScreenshot(htmlFile: string): Promise<void> {
  const page = await context!.newPage();
  await page.setViewportSize({ width: 1366, height: 2600 });
  await page.goto(`file://${htmlFile}`);
  await page.waitForFunction(() =>
    (globalThis as unknown as { document: PageDocument }).document.body.hasAttribute("data-charts-drawn"),
  );
  await page.screenshot({ path: "docs/report-screenshot.png", fullPage: false });
  await page.close();
}

// Every non-empty chart of the results must appear as a canvas with pixels in its series colours.
function expectChartsDrawn(results: Results, check: PageCheck): void {
  const { timelines, comparisons } = buildReportCharts(results);
  const expected = [...comparisons, ...timelines].filter((chart) => chart.empty === undefined);
  expect(check.consoleErrors).toEqual([]);
  expect(check.chartsDrawn).toBe(expected.length);
  expect(check.canvases.map((c) => c.id)).toEqual(expected.map((c) => `chart-${c.id}`));
  for (const canvas of check.canvases) {
    expect(canvas.width, canvas.id).toBeGreaterThan(300);
    expect(canvas.inkPixels, `${canvas.id} is blank`).toBeGreaterThan(2000);
    expect(canvas.seriesPixels, `${canvas.id} has no data drawn`).toBeGreaterThan(40);
  }
}

describe.skipIf(!hasChromium)("report.html in headless Chromium", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "persistlab-report-"));
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (work !== "") rmSync(work, { recursive: true, force: true });
  });

  it("draws the report of a real smoke run", async () => {
    const out = join(work, "smoke");
    const cli = existsSync("dist/bin/persistlab.js")
      ? ["dist/bin/persistlab.js"]
      : ["--import", "tsx", "bin/persistlab.ts"];
    const run = await execa(process.execPath, [...cli, "run", "scenarios/smoke.json", "--out", out, "--no-progress"], {
      reject: false,
      timeout: 240_000,
      all: true,
    });
    expect(existsSync(join(out, "results.json")), run.all).toBe(true);
    const report = await execa(process.execPath, [...cli, "report", join(out, "results.json"), "--no-summary"], {
      reject: false,
      timeout: 60_000,
      all: true,
    });
    expect(report.exitCode, report.all).toBe(0);
    const html = join(out, "report.html");
    const check = await inspectReport(html, join(ARTIFACTS, "report.png"));
    expectChartsDrawn(readResults(join(out, "results.json")), check);
  }, 300_000);

  it("draws every chart kind for the recorded strategy matrix (faults, fsync, loss, recovery, rewrite)", async () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    const html = join(work, "matrix.html");
    writeFileSync(html, renderReport(results));
    const check = await inspectReport(html, join(ARTIFACTS, "report-strategy-matrix.png"));
    expectChartsDrawn(results, check);
    expect(check.canvases.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "chart-latency",
        "chart-fsync",
        "chart-loss",
        "chart-recovery",
        "chart-rewrite",
        "chart-timeline-0",
      ]),
    );
    if (process.env["PERSISTLAB_UPDATE_SCREENSHOT"] === "1") await saveDocsScreenshot(html);
  }, 60_000);

  it("keeps the disk floor visible on the fsync chart when one strategy's p99 is 38 ms (log axis)", async () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    for (const run of results.runs)
      if (run.strategy === "aof-everysec" && run.metrics.fsync.measured) run.metrics.fsync.p99Us = 38_000;
    if (!results.diskFloor.measured) throw new Error("fixture without a disk floor");
    const floor = results.diskFloor.p50Us;
    const html = join(work, "fsync-outlier.html");
    writeFileSync(html, renderReport(results));
    const page = await context!.newPage();
    await page.goto(`file://${html}`);
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { getElementById(id: string): { hasAttribute(name: string): boolean } | null };
          }
        ).document
          .getElementById("chart-fsync")
          ?.hasAttribute("data-y-range") === true,
    );
    const [scale, range] = await page.evaluate(() => {
      const holder = (
        globalThis as unknown as {
          document: { getElementById(id: string): { getAttribute(name: string): string | null } | null };
        }
      ).document.getElementById("chart-fsync");
      return [holder?.getAttribute("data-y-scale"), holder?.getAttribute("data-y-range")];
    });
    await page.close();
    expect(scale).toBe("log");
    const [low, high] = (range ?? "").split(" ").map(Number) as [number, number];
    expect(low).toBeLessThanOrEqual(floor);
    expect(high).toBeGreaterThanOrEqual(38_000);
    // The floor's p50 sits well above the bottom of the plot (on a linear 0-42,000 axis it was 2 % up).
    expect(Math.log10(floor / low) / Math.log10(high / low)).toBeGreaterThan(0.1);
  }, 60_000);

  it("shows ties instead of a star where throughputs overlap, intervals in every cell and the usual advice checked", async () => {
    const results = readResults("test/fixtures/results/strategy-matrix.json");
    // none and rdb overlap (42,000 / 40,000 against 40,500 / 41,800): compare's statistics cannot separate them.
    const set = (id: string, ops: number): void => {
      results.runs.find((run) => run.id === id)!.metrics.throughput.opsPerSec = ops;
    };
    set("none#2", 40_000);
    set("rdb#2", 41_800);
    const html = join(work, "ties.html");
    writeFileSync(html, renderReport(results));
    const page = await context!.newPage();
    await page.goto(`file://${html}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { document: PageDocument }).document.body.hasAttribute("data-charts-drawn"),
    );
    interface Cell {
      className: string;
      textContent: string | null;
    }
    interface Row {
      querySelectorAll(selector: string): ArrayLike<Cell>;
    }
    const seen = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelectorAll(s: string): ArrayLike<Row & Cell>;
            querySelector(s: string): (Cell & { querySelectorAll(s: string): ArrayLike<Row> }) | null;
          };
          getComputedStyle(e: unknown, pseudo: string): { content: string };
        }
      ).document;
      const view = globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } };
      const headers = Array.from(doc.querySelectorAll("#verdict-table thead th")).map((th) => th.textContent ?? "");
      const column = headers.indexOf("Throughput");
      const rows = Array.from(doc.querySelectorAll("#verdict-table tbody tr")).map((row) => {
        const cells = Array.from(row.querySelectorAll("td"));
        const cell = cells[column]!;
        return {
          strategy: (cells[0]!.textContent ?? "").trim(),
          className: cell.className,
          text: cell.textContent ?? "",
          after: view.getComputedStyle(cell, "::after").content,
        };
      });
      const needs = Array.from(doc.querySelectorAll("#needs-table tbody tr")).map((row) =>
        Array.from(row.querySelectorAll("td")).map((td) => td.textContent ?? ""),
      );
      const claims = Array.from(doc.querySelectorAll("#claims-table tbody tr")).map((row) =>
        Array.from(row.querySelectorAll("td")).map((td) => td.textContent ?? ""),
      );
      return { rows, needs, claims };
    });
    await page.screenshot({ path: join(ARTIFACTS, "report-ties.png"), fullPage: true });
    await page.close();
    const throughputCell = (strategy: string): { className: string; text: string; after: string } =>
      seen.rows.find((row) => row.strategy.startsWith(strategy) && !row.strategy.startsWith(`${strategy}-`))!;
    expect(throughputCell("none").className).toBe("tie");
    expect(throughputCell("rdb").className).toBe("tie");
    expect(throughputCell("none").after).toContain("≈");
    expect(seen.rows.filter((row) => row.className === "best")).toEqual([]);
    expect(throughputCell("aof-always").className).toBe("");
    for (const row of seen.rows) expect(row.text, row.strategy).toMatch(/ops\/s[\d,]+–[\d,]+, 2 runs/);
    const most = seen.needs.find((cells) => cells[0] === "Most throughput")!;
    expect(most[1]).toBe("tie: rdb, none"); // means 41,150 and 41,000
    expect(most[2]).toMatch(/indistinguishable from rdb/);
    expect(seen.claims.map((cells) => cells[0])).toEqual([
      "Cache",
      "Session store",
      "Primary database",
      "Financial data",
    ]);
    // The fixture's faults are kills only: aof-always lost nothing, but only a power cut tests its claim.
    const financial = seen.claims.find((cells) => cells[0] === "Financial data")!;
    expect(financial[3]).toBe("partly supported");
    expect(financial[4]).toContain("no acknowledged write lost, but no power cut was among them");
  }, 60_000);
});
