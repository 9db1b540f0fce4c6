// Test helper: packs this project once per test file (`npm pack`, the build having run: `npm test` builds first)
// and installs the tarball into an empty project, as a user would (`npm init -y && npm i persistlab-x.y.z.tgz`).
// `--prefer-offline` takes dependencies from npm's cache (filled by `npm ci`) and only fetches what is missing.
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "../helpers/servers.ts";

/** The project root. */
export const ROOT = join(import.meta.dirname, "..", "..");
/** The package version (the tarball is persistlab-<version>.tgz). */
export const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Packs the built project into a fresh folder; returns the tarball's path and its file list. */
export async function packProject(): Promise<{
  tarball: string;
  files: Array<{ path: string; mode: number; size: number }>;
  size: number;
}> {
  if (!existsSync(join(ROOT, "dist", "src", "index.js")))
    throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  const destination = makeTempDir("pack");
  // prepack would rebuild; the build is already current when npm test runs this, so skip it.
  const { stdout } = await execa("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
    cwd: ROOT,
  });
  const [report] = JSON.parse(stdout) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string; mode: number; size: number }>;
  }>;
  if (report === undefined) throw new Error(`npm pack printed no report: ${stdout}`);
  return { tarball: join(destination, report.filename), files: report.files, size: report.size };
}

/** An empty npm project with the tarball installed; returns its folder. */
export async function installIntoEmptyProject(tarball: string, label: string): Promise<string> {
  const app = join(makeTempDir(label), "app");
  mkdirSync(app);
  await execa("npm", ["init", "-y"], { cwd: app });
  await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], {
    cwd: app,
    timeout: 180_000,
  });
  return app;
}
