// Number and unit formatting shared by the HTML, markdown and terminal outputs. Pure.

/** What the fsync figures of every output count (a rewrite's fsyncs land in them too). */
export const FSYNC_SCOPE_NOTE =
  "fsync figures count every fdatasync recorded, a rewrite phase's included (under aof-no those are all there are)";

/** Formats a value with its unit, or "–" when not measured. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "ops/s":
      return `${Math.round(value).toLocaleString("en-US")} ops/s`;
    case "ms":
      return value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 1 : 2)} s` : `${trimNumber(value)} ms`;
    case "µs":
      return value >= 1000 ? `${trimNumber(value / 1000)} ms` : `${Math.round(value)} µs`;
    case "bytes":
      return formatBytes(value);
    case "ratio":
      return `${trimNumber(value * 100)} %`;
    case "count":
      return Math.round(value).toLocaleString("en-US");
    default:
      return `${trimNumber(value)} ${unit}`.trim();
  }
}

/** Three significant digits, no exponent for everyday magnitudes. */
export function trimNumber(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** Bytes with a binary-prefix unit. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes,
    index = 0;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index++;
  }
  return `${trimNumber(value)} ${units[index]}`;
}

/** A signed percentage change ("+12.3 %", "−4.0 %"). */
export function formatChange(fraction: number): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? "+∞" : "–";
  const pct = fraction * 100;
  return `${pct >= 0 ? "+" : "−"}${Math.abs(pct).toFixed(1)} %`;
}

/** A short description of a strategy's directives (appendonly, appendfsync, save, preamble). */
export function describeConfig(config: Record<string, string>): string {
  const parts: string[] = [];
  if (config["appendonly"] === "yes")
    parts.push(
      `AOF ${config["appendfsync"] ?? "everysec"}${config["aof-use-rdb-preamble"] === "yes" ? " + RDB preamble" : ""}`,
    );
  const save = config["save"];
  if (save !== undefined && save.trim() !== "") parts.push(`RDB save ${save}`);
  return parts.length === 0 ? "no persistence" : parts.join(", ");
}
