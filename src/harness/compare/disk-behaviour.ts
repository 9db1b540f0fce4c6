// Where two engines answered the same disk faults differently: for every strategy and disk fault kind in
// both results, the behaviour in words (exited or kept running, the first error text, recovered after the
// disk healed or not, acknowledged writes lost) on each side, and whether the two differ. This is how a
// disk-faults run on the bundled engine is held against the same run on redis-server.
import type { DiskFaultMetrics, DiskFaultRoundMetrics } from "../nemesis/disk-fault-metrics.ts";
import type { Results } from "../results/schema.ts";

/** One strategy and fault kind on both sides. */
export interface DiskBehaviourRow {
  strategy: string;
  kind: string;
  a: string;
  b: string;
  differs: boolean;
}

// One side's rounds of a strategy and kind, described in words that two engines doing the same thing share.
function describeRounds(rounds: readonly DiskFaultRoundMetrics[]): string {
  const exited = rounds.filter((round) => round.exited).length;
  const parts: string[] = [];
  parts.push(
    exited === 0
      ? "kept running"
      : exited === rounds.length
        ? `exited (code ${rounds
            .map((round) => round.exitCode ?? "?")
            .filter((code, index, all) => all.indexOf(code) === index)
            .join("/")})`
        : `exited in ${exited} of ${rounds.length} rounds`,
  );
  const errors = [
    ...new Set(
      rounds.flatMap((round) => (round.errors[0] === undefined ? [] : [round.errors[0].error.split(". ")[0] ?? ""])),
    ),
  ];
  parts.push(errors.length === 0 ? "refused nothing" : `refused: ${errors.join(" | ")}`);
  const running = rounds.filter((round) => !round.exited);
  const recovered = running.filter((round) => round.recoveredWithoutRestart).length;
  if (running.length > 0)
    parts.push(
      recovered === running.length
        ? "wrote again after the disk healed"
        : recovered === 0
          ? "still refusing when the round ended"
          : `wrote again in ${recovered} of ${running.length} rounds`,
    );
  parts.push(rounds.some((round) => round.lost > 0) ? "lost acknowledged writes" : "lost none");
  return parts.join("; ");
}

function roundsBy(results: Results): Map<string, DiskFaultRoundMetrics[]> {
  const grouped = new Map<string, DiskFaultRoundMetrics[]>();
  for (const run of results.runs) {
    const disk = run.metrics["durability"]?.["disk"] as DiskFaultMetrics | undefined;
    for (const round of disk?.rounds ?? []) {
      const key = `${run.strategy}\u0000${round.kind}`;
      const list = grouped.get(key) ?? [];
      list.push(round);
      grouped.set(key, list);
    }
  }
  return grouped;
}

/** The rows for every strategy and kind present in both results (empty when either has no disk faults). */
export function compareDiskBehaviour(a: Results, b: Results): DiskBehaviourRow[] {
  const left = roundsBy(a);
  const right = roundsBy(b);
  const rows: DiskBehaviourRow[] = [];
  for (const [key, roundsA] of left) {
    const roundsB = right.get(key);
    if (roundsB === undefined) continue;
    const [strategy = "", kind = ""] = key.split("\u0000");
    const describedA = describeRounds(roundsA);
    const describedB = describeRounds(roundsB);
    rows.push({ strategy, kind, a: describedA, b: describedB, differs: describedA !== describedB });
  }
  return rows;
}

/** The text block compare prints (empty string without disk faults on both sides). */
export function renderDiskBehaviour(rows: readonly DiskBehaviourRow[]): string {
  if (rows.length === 0) return "";
  const differing = rows.filter((row) => row.differs);
  const lines = [
    `Disk faults: ${differing.length} of ${rows.length} strategy/fault pairs answered differently${differing.length === 0 ? "" : ":"}`,
  ];
  for (const row of differing) lines.push(`  ${row.strategy} ${row.kind}:\n    A: ${row.a}\n    B: ${row.b}`);
  return `${lines.join("\n")}\n`;
}
