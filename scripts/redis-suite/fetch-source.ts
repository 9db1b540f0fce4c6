// Fetches Debian's source package `redis` 7.0.15 with a private apt configuration (own sources
// list with deb-src entries mirroring the system's suites, own state and cache dirs; the system's
// apt config is never touched) and unpacks it once into the cache, outside the repository.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export const REDIS_VERSION = "7.0.15";
const SYSTEM_SOURCES = "/etc/apt/sources.list.d/debian.sources";

/** Where fetched sources and run trees live: $PERSISTLAB_CACHE or ~/.cache/persistlab. */
export function cacheRoot(): string {
  return process.env["PERSISTLAB_CACHE"] ?? join(homedir(), ".cache", "persistlab");
}

/** deb822 stanzas of the system's Debian sources, turned into deb-src stanzas for the same suites. */
export function debSrcStanzas(systemSources: string): string {
  const stanzas = systemSources
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#")));
  const out: string[] = [];
  for (const lines of stanzas) {
    const types = lines.find((line) => /^Types:/i.test(line));
    if (types === undefined || !/\bdeb\b/.test(types)) continue;
    out.push(lines.map((line) => (/^Types:/i.test(line) ? "Types: deb-src" : line)).join("\n"));
  }
  return out.join("\n\n") + "\n";
}

/** The unpacked redis 7.0.15 source tree in the cache, fetched on first use. */
export async function ensureRedisSource(log: (line: string) => void): Promise<string> {
  const root = cacheRoot();
  const tree = join(root, `redis-${REDIS_VERSION}`);
  if (existsSync(join(tree, "runtest")) && existsSync(join(tree, ".persistlab-complete"))) return tree;
  for (const tool of ["apt-get", "dpkg-source"]) {
    try {
      await execa("sh", ["-c", `command -v ${tool}`]);
    } catch {
      throw new Error(
        `${tool} is missing: install apt and dpkg-dev (apt-get install -y dpkg-dev) to fetch the Redis ${REDIS_VERSION} tests.`,
      );
    }
  }
  if (!existsSync(SYSTEM_SOURCES))
    throw new Error(`${SYSTEM_SOURCES} is missing: the runner mirrors its suites as deb-src entries.`);
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, "redis-fetch-"));
  try {
    const apt = join(work, "apt");
    for (const dir of [
      "etc/sources.list.d",
      "etc/apt.conf.d",
      "etc/preferences.d",
      "state/lists/partial",
      "cache/archives/partial",
    ]) {
      mkdirSync(join(apt, dir), { recursive: true });
    }
    writeFileSync(
      join(apt, "etc/sources.list.d/redis-src.sources"),
      debSrcStanzas(readFileSync(SYSTEM_SOURCES, "utf8")),
    );
    const options = [
      `Dir::Etc=${join(apt, "etc")}`,
      "Dir::Etc::sourcelist=/dev/null",
      `Dir::Etc::sourceparts=${join(apt, "etc/sources.list.d")}`,
      `Dir::Etc::parts=${join(apt, "etc/apt.conf.d")}`,
      `Dir::Etc::preferencesparts=${join(apt, "etc/preferences.d")}`,
      `Dir::State=${join(apt, "state")}`,
      `Dir::Cache=${join(apt, "cache")}`,
      "Debug::NoLocking=1",
      "APT::Sandbox::User=root",
    ].flatMap((option) => ["-o", option]);
    log(`fetching Debian's source package redis ${REDIS_VERSION} (private apt config in ${apt})`);
    await execa("apt-get", [...options, "-qq", "update"], { stdio: "inherit" });
    const download = join(work, "download");
    mkdirSync(download);
    await execa("apt-get", [...options, "-qq", "source", "--download-only", "redis"], {
      cwd: download,
      stdio: "inherit",
    });
    const dsc = readdirSync(download).find((name) => name.endsWith(".dsc"));
    if (dsc === undefined) throw new Error("apt-get source downloaded no .dsc for redis");
    if (!dsc.startsWith(`redis_${REDIS_VERSION}-`)) {
      throw new Error(
        `apt-get source fetched ${dsc}, not Redis ${REDIS_VERSION}: the runner needs Debian bookworm's redis ${REDIS_VERSION} source.`,
      );
    }
    await execa("dpkg-source", ["-x", dsc, "tree"], { cwd: download });
    writeFileSync(join(download, "tree", ".persistlab-complete"), `${dsc}\n`);
    rmSync(tree, { recursive: true, force: true });
    renameSync(join(download, "tree"), tree);
    log(`unpacked ${dsc} into ${tree}`);
    return tree;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
