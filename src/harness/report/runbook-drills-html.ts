// The report's "Runbook drills" section: per run and drill, the user's backup script (how it ended, what the
// backup lacked of the acknowledged writes and how old it was) and the restore (restored / nothing restored /
// partial / failed, and why). Empty without runbook drills.
import { basename } from "node:path";
import type { Results } from "../results/schema.ts";
import { escapeHtml } from "./html-escape.ts";

interface ScriptRun {
  script: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}
interface RunbookDrill {
  kind: "runbook";
  backupRun: ScriptRun;
  backup: { state: string; keys: number | null; lacks: number; ackedKeys: number; ageMs: number | null };
  restoreRun?: ScriptRun;
  restore?: { outcome: string; reason: string };
  verdict: string;
}

function runbookDrills(durability: unknown): RunbookDrill[] {
  const drills = (durability as { drills?: unknown[] } | undefined)?.drills;
  return Array.isArray(drills)
    ? drills.filter((drill): drill is RunbookDrill => (drill as { kind?: string }).kind === "runbook")
    : [];
}

// "backup.sh: exit 0 in 812 ms" / "timed out after 10000 ms".
function describeScript(run: ScriptRun): string {
  return `${basename(run.script)}: ${run.timedOut ? "timed out" : `exit ${run.exitCode ?? "?"}`} in ${run.durationMs} ms`;
}

/** The terminal's one-line summary of a runbook drill. */
export function summarizeRunbookDrill(drill: RunbookDrill): string {
  const backup =
    drill.backup.state === "ok"
      ? `backup lacks ${drill.backup.lacks} of ${drill.backup.ackedKeys} acknowledged keys, age ${drill.backup.ageMs === null ? "older than every write" : `${drill.backup.ageMs} ms`}`
      : `backup ${drill.backup.state}`;
  return `${describeScript(drill.backupRun)}; ${backup}${drill.restoreRun === undefined ? "" : `; ${describeScript(drill.restoreRun)}: ${drill.verdict}`}`;
}

/** The section's HTML. */
export function renderRunbookDrills(results: Results): string {
  const rows: string[] = [];
  for (const run of results.runs) {
    for (const drill of runbookDrills(run.metrics["durability"])) {
      const good = drill.verdict === "restored" || (drill.verdict === "backup-only" && drill.backup.lacks === 0);
      rows.push(
        `<tr><td class="text">${escapeHtml(run.id)}</td><td class="text">${escapeHtml(describeScript(drill.backupRun))}</td><td class="text">${escapeHtml(drill.backup.state)}</td>` +
          `<td>${drill.backup.lacks} / ${drill.backup.ackedKeys}</td><td>${drill.backup.ageMs === null ? "–" : `${drill.backup.ageMs} ms`}</td>` +
          `<td class="text">${drill.restoreRun === undefined ? "–" : escapeHtml(describeScript(drill.restoreRun))}</td><td class="text ${good ? "pass" : "fail"}">${escapeHtml(drill.verdict)}</td>` +
          `<td class="text">${escapeHtml(drill.restore?.reason ?? "")}</td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "";
  return (
    `<h2>Runbook drills</h2><p class="muted">The user's backup script ran against the live engine under load; its dump.rdb was opened on a scratch engine. ` +
    `Lacks: keys whose last write acknowledged before the script started is missing from the backup; age: script start − the newest acknowledged write it holds. ` +
    `Then a kill, the restore script, and what the engine served: restored (the backup), nothing restored (the state the disaster left), partial, failed.</p>` +
    `<table id="runbook-drills-table"><thead><tr><th class="text">Run</th><th class="text">Backup script</th><th class="text">Backup</th><th>Lacks</th><th>Age</th><th class="text">Restore script</th><th class="text">Outcome</th><th class="text">Why</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}
