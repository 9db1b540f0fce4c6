// The report's "Disk faults" section: per strategy and disk fault kind, what the engine did while its disk
// was full, failing, slow or read-only (exited, refused with which error, acknowledged and how slowly),
// how long writes stayed refused after the disk healed, and what the restart lost. Empty without disk rounds.
import type { Results } from "../results/schema.ts";
import { escapeHtml } from "./html-escape.ts";

interface DiskRound {
  kind: string;
  exited: boolean;
  exitCode: number | null;
  ackedDuringFault: number;
  ackLatencyMs: { p99: number };
  refused: number;
  errors: Array<{ error: string; count: number }>;
  unanswered: number;
  recoveredWithoutRestart: boolean;
  refusedAfterHealMs: number | null;
  lost: number;
  verdict: string;
}

function diskRounds(durability: unknown): DiskRound[] {
  const disk = (durability as { disk?: { rounds?: DiskRound[] } } | undefined)?.disk;
  return Array.isArray(disk?.rounds) ? disk.rounds : [];
}

// What the engine did, in words: "exited (1)", "refused, writes again after 12 ms", "kept acknowledging".
function describeBehaviour(round: DiskRound): string {
  if (round.exited) return `exited (code ${round.exitCode ?? "?"})`;
  const after =
    round.refusedAfterHealMs === null
      ? "still refusing at the round's end"
      : `writes again ${round.refusedAfterHealMs} ms after the disk healed`;
  if (round.refused > 0) return `refused writes; ${after}`;
  return round.recoveredWithoutRestart ? "kept acknowledging" : after;
}

/** The section's HTML (a short note when the run had no disk faults). */
export function renderDiskFaults(results: Results): string {
  const rows: string[] = [];
  for (const run of results.runs) {
    for (const round of diskRounds(run.metrics["durability"])) {
      const error = round.errors[0];
      const verdictClass = round.verdict === "violation" ? "fail" : "pass";
      rows.push(
        `<tr><td class="text">${escapeHtml(run.id)}</td><td class="text">${escapeHtml(round.kind)}</td><td class="text">${escapeHtml(describeBehaviour(round))}</td>` +
          `<td>${round.ackedDuringFault}</td><td>${round.ackedDuringFault === 0 ? "–" : `${round.ackLatencyMs.p99} ms`}</td><td>${round.refused}</td>` +
          `<td class="text">${error === undefined ? "–" : escapeHtml(error.error)}</td><td>${round.unanswered}</td><td>${round.lost}</td><td class="text ${verdictClass}">${escapeHtml(round.verdict)}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "";
  return (
    `<h2>Disk faults</h2><p class="muted">Each row is one fault on the data directory's disk (through the LD_PRELOAD shim), then a kill and a restart. ` +
    `Acked and p99: writes acknowledged while the disk failed; refused: writes answered with an error; unanswered: no reply (the engine was gone); lost: acknowledged writes the restart did not bring back.</p>` +
    `<table id="disk-faults-table"><thead><tr><th class="text">Run</th><th class="text">Fault</th><th class="text">Engine</th><th>Acked</th><th>p99</th><th>Refused</th><th class="text">Error</th><th>Unanswered</th><th>Lost</th><th class="text">Verdict</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}
