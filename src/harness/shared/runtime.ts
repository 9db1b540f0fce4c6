// Runtime detection (Node or Deno) and paths to this package's own files in both layouts (dist/ or sources).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ENGINE_NODE_FLAGS } from "../../engine/server/heap-flags.ts";

/** The JavaScript runtime executing the harness. */
export type RuntimeName = "node" | "deno";

/** Detects Deno through its global, Node otherwise. */
export function getRuntimeName(): RuntimeName {
  return "Deno" in globalThis ? "deno" : "node";
}

/** The runtime's version string ("20.20.0", "2.9.6"). */
export function getRuntimeVersion(): string {
  const deno = (globalThis as { Deno?: { version?: { deno?: string } } }).Deno;
  return deno?.version?.deno ?? process.versions.node;
}

/** The package root (the folder holding package.json), whether running from dist/ or from sources. */
export function getPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "package.json")) && !dir.endsWith(`${sep}dist`)) return dir;
    dir = dirname(dir);
  }
  throw new Error("Cannot find the persistlab package root from " + fileURLToPath(import.meta.url));
}

/** True when this module runs from the compiled dist/ tree rather than from the TypeScript sources. */
export function isRunningCompiled(): boolean {
  return fileURLToPath(import.meta.url).endsWith(".js");
}

/** persistlab's own version from package.json ("unknown" when it cannot be read). */
export function readPackageVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(getPackageRoot(), "package.json"), "utf8")) as { version?: string }).version ??
      "unknown"
    );
  } catch {
    return "unknown";
  }
}

/** The command that starts the bundled engine in the current runtime: [executable, ...leading args], with the engine's V8 heap flags. */
export function getBundledEngineCommand(): { file: string; args: string[]; script: string } {
  const root = getPackageRoot();
  if (getRuntimeName() === "deno") {
    // From a checkout Deno runs the sources; an installed package is compiled (Deno, like Node, refuses to strip
    // types under node_modules), so there it runs the compiled engine.
    const script = isRunningCompiled()
      ? join(root, "dist", "bin", "persistlab-server.js")
      : join(root, "bin", "persistlab-server.ts");
    return { file: process.execPath, args: ["run", "-A", `--v8-flags=${ENGINE_NODE_FLAGS.join(",")}`, script], script };
  }
  const script = join(root, "dist", "bin", "persistlab-server.js");
  return { file: process.execPath, args: [...ENGINE_NODE_FLAGS, script], script };
}
