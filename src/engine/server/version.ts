// persistlab-server's `--version` line, redis-server's layout ("Redis server v=7.0.15 sha=... malloc=... bits=...
// build=...") with persistlab's own version (package.json) in v= and the Redis release it is compatible with.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Redis release whose protocol, commands and file formats the engine follows. */
export const REDIS_COMPATIBLE_VERSION = "7.0.15";

/** persistlab's version from the nearest package.json above this module ("unknown" when none is found). */
export function readEngineVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (parsed.name === "persistlab" && typeof parsed.version === "string") return parsed.version;
      } catch {
        // Not ours or unreadable: keep looking upwards.
      }
    }
    dir = dirname(dir);
  }
  return "unknown";
}

/** The one line `persistlab-server --version` prints. */
export function renderVersionLine(): string {
  return `persistlab-server v=${readEngineVersion()} redis=${REDIS_COMPATIBLE_VERSION} sha=00000000:0 malloc=v8 bits=64 build=persistlab`;
}
