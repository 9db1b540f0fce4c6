// Builds the LD_PRELOAD shim (native/powerloss/powerloss.c) with the machine's gcc, lazily, into a cache
// directory keyed by a hash of the source; reports "unavailable" (never throws) when it cannot. The shim
// journals an engine's file calls: the power-loss fault and fsync latency tracing both load it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

/** The shim is usable (libraryPath goes into LD_PRELOAD) or not, with the reason (e.g. "gcc not found"). */
export type PowerLossShim =
  | { available: true; libraryPath: string; sourcePath: string; cached: boolean }
  | { available: false; reason: string };

/** Options: where gcc is and where to cache the library (defaults: `gcc`, node_modules/.cache/persistlab). */
export interface CompileShimOptions {
  compiler?: string;
  cacheDir?: string;
}

const SOURCE_RELATIVE = join("native", "powerloss", "powerloss.c");
const MAX_PARENT_LEVELS = 8;

// The module runs from src/ (tsx, vitest) or dist/src/ (built): walk up to the folder holding native/.
function findProjectRoot(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < MAX_PARENT_LEVELS; level++) {
    if (existsSync(join(directory, SOURCE_RELATIVE))) return directory;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

// node_modules/.cache/persistlab when the project has node_modules, else a folder under the temp dir.
function resolveCacheDir(root: string): string {
  if (existsSync(join(root, "node_modules"))) return join(root, "node_modules", ".cache", "persistlab");
  return join(tmpdir(), "persistlab-cache");
}

let pending: Map<string, Promise<PowerLossShim>> = new Map();

/** Compiles the shim once per source hash (concurrent callers share the build); never throws. */
export function compilePowerLossShim(options: CompileShimOptions = {}): Promise<PowerLossShim> {
  const key = `${options.compiler ?? ""}|${options.cacheDir ?? ""}`;
  let build = pending.get(key);
  if (build === undefined) {
    build = buildShim(options);
    pending.set(key, build);
    void build.then((result) => {
      if (!result.available) pending.delete(key);
    });
  }
  return build;
}

/** Forgets builds made in this process (tests). */
export function resetPowerLossShimCache(): void {
  pending = new Map();
}

async function buildShim(options: CompileShimOptions): Promise<PowerLossShim> {
  if (process.platform !== "linux")
    return { available: false, reason: `the LD_PRELOAD shim needs Linux/glibc, this is ${process.platform}` };
  const root = findProjectRoot();
  if (root === undefined)
    return {
      available: false,
      reason: `${SOURCE_RELATIVE} not found above ${dirname(fileURLToPath(import.meta.url))}`,
    };
  const sourcePath = join(root, SOURCE_RELATIVE);
  const compiler = options.compiler ?? "gcc";
  const source = await readFile(sourcePath);
  const hash = createHash("sha256").update(source).update(compiler).digest("hex").slice(0, 16);
  const cacheDir = options.cacheDir ?? resolveCacheDir(root);
  const libraryPath = join(cacheDir, `libpersistlab-powerloss-${hash}.so`);
  if (existsSync(libraryPath)) return { available: true, libraryPath, sourcePath, cached: true };
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    return { available: false, reason: `cannot create ${cacheDir}: ${(error as Error).message}` };
  }
  // Compile to a private name, then rename: concurrent processes never see a half-written library.
  const partial = `${libraryPath}.${process.pid}.${Date.now()}.tmp`;
  const result = await execa(compiler, ["-shared", "-fPIC", "-O2", "-o", partial, sourcePath, "-ldl"], {
    reject: false,
    timeout: 120_000,
  });
  if (result.failed) {
    await rm(partial, { force: true });
    const why =
      result.code === "ENOENT"
        ? `${compiler} not found`
        : `${compiler} failed: ${String(result.stderr).split("\n").slice(0, 5).join(" ").slice(0, 400) || result.shortMessage}`;
    return { available: false, reason: why };
  }
  await rename(partial, libraryPath);
  await removeStaleBuilds(cacheDir, libraryPath);
  return { available: true, libraryPath, sourcePath, cached: false };
}

// Builds of older sources are never loaded again: remove them (best effort).
async function removeStaleBuilds(cacheDir: string, keep: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(cacheDir, name);
    if (path !== keep && /^libpersistlab-powerloss-[0-9a-f]{16}\.so$/.test(name)) await rm(path, { force: true });
  }
}
