// The named persistence strategies (redis.conf directives) that scenarios reference by name.

/** redis.conf directives as written in a scenario: booleans become yes/no, arrays are joined by spaces. */
export type Directives = Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;

/** Redis 7.0's default save points (redis.conf: 3600 1, 300 100, 60 10000). */
export const REDIS_DEFAULT_SAVE = "3600 1 300 100 60 10000";

/** The six strategies of the persistence trade-off table, by name. */
export const STRATEGY_PRESETS: Readonly<Record<string, Directives>> = {
  /** No persistence at all: nothing survives a restart. */
  none: { appendonly: "no", save: "" },
  /** RDB snapshots only, at Redis's default save points. */
  rdb: { appendonly: "no", save: REDIS_DEFAULT_SAVE },
  /** AOF, fsync left to the kernel; plain (non-preamble) AOF base, no snapshots. */
  "aof-no": { appendonly: "yes", appendfsync: "no", "aof-use-rdb-preamble": "no", save: "" },
  /** AOF fsynced once a second in the background. */
  "aof-everysec": { appendonly: "yes", appendfsync: "everysec", "aof-use-rdb-preamble": "no", save: "" },
  /** AOF fsynced before every reply. */
  "aof-always": { appendonly: "yes", appendfsync: "always", "aof-use-rdb-preamble": "no", save: "" },
  /** Redis 7 default-style hybrid: AOF everysec with an RDB-preamble base, plus RDB save points. */
  hybrid: { appendonly: "yes", appendfsync: "everysec", "aof-use-rdb-preamble": "yes", save: REDIS_DEFAULT_SAVE },
};

/** The preset names in table order. */
export const STRATEGY_NAMES = Object.keys(STRATEGY_PRESETS);

/** Renders one directive value the way redis.conf expects it. */
export function formatDirectiveValue(value: Directives[string]): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join(" ");
  return String(value);
}

/** Normalises a directive map to lower-case names and string values (what lands in results.json). */
export function normalizeDirectives(directives: Directives): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(directives)) out[name.toLowerCase()] = formatDirectiveValue(value);
  return out;
}
