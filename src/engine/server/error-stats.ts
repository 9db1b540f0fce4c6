// INFO errorstats: error replies counted by their code (the first word of the error, as Redis's
// afterErrorReply takes it: up to a space within the first 32 bytes, else "ERR").

/** Error replies per code. */
export type ErrorCodeCounts = Map<string, number>;

/** Counts one error reply under its code. */
export function recordErrorCode(counts: ErrorCodeCounts, message: string): void {
  const space = message.slice(0, 32).indexOf(" ");
  const code = space > 0 ? message.slice(0, space) : "ERR";
  counts.set(code, (counts.get(code) ?? 0) + 1);
}

/** The errorstats section's lines, codes in byte order. */
export function errorStatsFields(counts: ErrorCodeCounts): [string, string][] {
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
}
