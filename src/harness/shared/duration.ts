// Duration strings of scenario files ("500ms", "10s", "2m", "1h") parsed once into milliseconds.

/** A duration: a number and a unit (us, ms, s, m, h). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/;
const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** True when the string is a duration this module can parse. */
export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text);
}

/** Parses "10s" into 10000; throws on anything else (callers validate first). */
export function parseDurationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (match === null) throw new Error(`Not a duration: ${JSON.stringify(text)} (use e.g. "500ms", "10s", "2m")`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
}

/** Formats milliseconds compactly for humans ("1.5s", "250ms"). */
export function formatDurationMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)}m`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)}s`;
  return `${Math.round(ms)}ms`;
}
