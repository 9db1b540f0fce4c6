// Turns a run's crash rounds into the durability checker's input, and its result into results.json's
// metrics.durability: totals over the crash rounds, a compact line per round, the disaster drills apart.
import type { CrashRound, DurabilityResult, DurabilityRound } from "../checker/durability.ts";
import { policyKey, type PersistencePolicy } from "../checker/policy-expectations.ts";
import type { DurabilityMetrics } from "../results/schema.ts";
import type { RoundRecord } from "./round-record.ts";
import { maxOf, nearestRankPercentile } from "../shared/bulk-arrays.ts";

/** The checker's view of a round: restart outcome (the worse of live and verification) and the data read back. */
export function toCrashRound(record: RoundRecord): CrashRound {
  const verified = record.verification?.start.restart;
  const live = record.live?.restart;
  const restart =
    verified === "failed" || live === "failed" || record.verification?.readBack === undefined
      ? "failed"
      : verified === "repaired" || live === "repaired"
        ? "repaired"
        : "ok";
  const round: CrashRound = {
    kind: record.crashKind,
    crashUs: record.crash.crashUs,
    restart,
    lastSaveUs: record.lastSaveUs,
    writePostponed: record.writePostponed,
  };
  if (record.verification?.readBack !== undefined) round.readBack = record.verification.readBack;
  if (record.lossPointUs !== undefined) round.lossPointUs = record.lossPointUs;
  return round;
}

const percentile = nearestRankPercentile;

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** One round in results.json. */
function describeRound(record: RoundRecord, checked: DurabilityRound | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    i: record.index,
    fault: record.fault.kind,
    crash: record.crashKind,
    atMs: Math.round(record.crash.crashUs / 1000),
    hit: record.trigger.hit,
    restart: checked?.restart ?? "unknown",
    verdict: checked?.verdict ?? "unknown",
    acked: checked?.ackedWrites ?? 0,
    lost: checked?.lost ?? 0,
    corrupt: checked?.corrupt ?? 0,
    survivedUnacked: checked?.survivedUnacked ?? 0,
  };
  if (checked?.lossWindowMs != null) out["lossWindowMs"] = round1(checked.lossWindowMs.max);
  if (checked !== undefined && checked.recoveredLost > 0) out["recoveredLost"] = checked.recoveredLost;
  if (checked !== undefined && checked.stale > 0) out["stale"] = checked.stale;
  if (record.fault.faultPoint !== undefined) out["faultPoint"] = record.fault.faultPoint;
  if (record.trigger.note !== undefined) out["note"] = record.trigger.note;
  if (record.downtimeMs !== undefined) out["downtimeMs"] = record.downtimeMs;
  if (record.live?.readyMs !== undefined) out["readyMs"] = round1(record.live.readyMs);
  if (record.powerCut !== undefined)
    out["powerCut"] = {
      lostBytes: record.powerCut.lostBytes,
      filesCut: record.powerCut.filesCut,
      zeroFilled: record.powerCut.zeroFilled,
      namesUndone: record.powerCut.namesUndone,
    };
  const repairs: string[] = [...(record.verification?.start.repairs ?? []), ...(record.live?.repairs ?? [])].map(
    (step) => step.action,
  );
  if (record.verification?.start.truncatedTail === true) repairs.unshift("engine-truncated-tail");
  if (repairs.length > 0) out["repairs"] = [...new Set(repairs)];
  const refusal = record.verification?.start.refusal ?? record.live?.refusal;
  if (refusal !== undefined) out["refusal"] = refusal.split("\n").slice(0, 2).join(" | ");
  if (checked !== undefined && checked.reasons.length > 0) out["reasons"] = checked.reasons;
  if (checked !== undefined && checked.verdict === "violation")
    out["examples"] = { lost: checked.lostExamples.slice(0, 5), corrupt: checked.corruptExamples.slice(0, 5) };
  if (record.keptAt !== undefined) out["keptAt"] = record.keptAt;
  return out;
}

/** A disaster drill's figures and verdict. */
function describeDrill(record: RoundRecord, checked: DurabilityRound | undefined): Record<string, unknown> {
  const verification = record.verification?.start;
  const corruption = record.drill?.corruption;
  const skipped = corruption !== undefined && "skipped" in corruption ? corruption.skipped : undefined;
  const firstStart =
    verification === undefined
      ? "unknown"
      : verification.refusal !== undefined
        ? "refused"
        : verification.truncatedTail
          ? "started-truncated-tail"
          : "started";
  const corrupt = checked?.corrupt ?? 0;
  let verdict: string;
  if (skipped !== undefined) verdict = "skipped";
  else if (checked?.restart === "failed") verdict = "unrecoverable";
  else if (corrupt > 0) verdict = "corrupt-data-served";
  else if (firstStart === "started" && (checked?.lost ?? 0) + (checked?.recoveredLost ?? 0) > 0)
    verdict = "silent-loss";
  else verdict = "ok";
  const out: Record<string, unknown> = {
    i: record.index,
    kind: record.fault.drill !== undefined && "corrupt" in record.fault.drill ? record.fault.drill.corrupt : undefined,
    damage: corruption,
    firstStart,
    repair:
      verification?.repairs.map((step) => ({
        action: step.action,
        command: step.tool?.command,
        exitCode: step.tool?.exitCode,
        output: step.tool?.output
          .split("\n")
          .filter((line) => line.trim() !== "")
          .slice(-3)
          .join(" | "),
        from: step.from,
      })) ?? [],
    restartAfterRepair: checked?.restart ?? "unknown",
    acked: checked?.ackedWrites ?? 0,
    lost: checked?.lost ?? 0,
    lostPercent: round1(checked?.lostPercent ?? 0),
    lossWindowMs: checked?.lossWindowMs ?? null,
    recoveredLost: checked?.recoveredLost ?? 0,
    staleValues: checked?.stale ?? 0,
    corruptValues: corrupt,
    keysReadBack: record.verification?.readBack?.size ?? 0,
    verdict,
  };
  if (verification?.refusal !== undefined) out["refusal"] = verification.refusal;
  if (
    verdict === "ok" &&
    firstStart === "started" &&
    corruption !== undefined &&
    !("skipped" in corruption) &&
    corruption.kind === "aof-flip-bytes"
  ) {
    out["note"] =
      "the engine loaded the damaged AOF without complaint (an AOF has no checksums); the flipped bytes fell inside a value that a later write replaced";
  }
  if (record.drill?.backup !== undefined) out["backup"] = record.drill.backup;
  if (record.keptAt !== undefined) out["keptAt"] = record.keptAt;
  return out;
}

/** Inputs of buildDurabilityMetrics. */
export interface DurabilityMetricsInput {
  records: readonly RoundRecord[];
  result: DurabilityResult | undefined;
  policy: PersistencePolicy;
  plannedFaults: number;
  faultsDone: number;
  powerLoss: { asked: boolean; unavailable: string | undefined };
  seed: number;
  reproduce: string;
  skippedDrills?: ReadonlyArray<{ kind: string; reason: string }>;
  /** Runbook drills, already described (drills/runbook-judge.ts). */
  runbookDrills?: ReadonlyArray<Record<string, unknown>>;
}

/** metrics.durability of a run. */
export function buildDurabilityMetrics(input: DurabilityMetricsInput): DurabilityMetrics {
  const checkedRounds = input.result?.rounds ?? [];
  const pairs = input.records.map((record, index) => ({ record, checked: checkedRounds[index] }));
  const crashes = pairs.filter((pair) => pair.record.fault.kind !== "drill");
  const drills = pairs.filter((pair) => pair.record.fault.kind === "drill");
  const sum = (pick: (round: DurabilityRound) => number): number =>
    crashes.reduce((total, pair) => total + (pair.checked === undefined ? 0 : pick(pair.checked)), 0);
  const windows = crashes.flatMap((pair) =>
    pair.checked?.lossWindowMs == null ? [] : [pair.checked.lossWindowMs.max],
  );
  const verdicts = crashes.map((pair) => pair.checked?.verdict ?? "unknown");
  const outcome = verdicts.includes("violation")
    ? "violation"
    : verdicts.includes("unknown")
      ? "unknown"
      : verdicts.includes("lost-as-allowed")
        ? "lost-as-allowed"
        : "ok";
  const drillDescriptions = [
    ...drills.map((pair) => describeDrill(pair.record, pair.checked)),
    ...(input.runbookDrills ?? []),
    ...(input.skippedDrills ?? []).map((drill) => ({ kind: drill.kind, verdict: "skipped", reason: drill.reason })),
  ];
  let verdict: DurabilityMetrics["verdict"] =
    outcome === "violation" ? "fail" : outcome === "unknown" ? "unknown" : "pass";
  if (crashes.length === 0)
    verdict = drillDescriptions.some((drill) => drill["verdict"] === "unrecoverable")
      ? "fail"
      : drills.length + (input.runbookDrills?.length ?? 0) > 0
        ? "pass"
        : "unknown";
  const acked = sum((round) => round.ackedWrites);
  const lost = sum((round) => round.lost);
  const downtimes = crashes.flatMap((pair) => (pair.record.downtimeMs === undefined ? [] : [pair.record.downtimeMs]));
  const ready = crashes.flatMap((pair) => (pair.record.live?.readyMs === undefined ? [] : [pair.record.live.readyMs]));
  // Per fault kind: rounds, and of those aimed at an event, how many landed inside it (hit) or not (missed).
  const triggers: Record<string, { rounds: number; hit: number; missed: number }> = {};
  for (const { record } of crashes) {
    const entry = (triggers[record.trigger.kind] ??= { rounds: 0, hit: 0, missed: 0 });
    entry.rounds++;
    if (record.trigger.hit === true) entry.hit++;
    else if (record.trigger.hit === false) entry.missed++;
  }
  // Per crash kind (kill, power-loss, term): rounds, acknowledged writes lost and the worst loss window.
  const byCrash: Record<string, { rounds: number; lost: number; lossWindowMsMax: number }> = {};
  for (const { record, checked } of crashes) {
    const entry = (byCrash[record.crashKind] ??= { rounds: 0, lost: 0, lossWindowMsMax: 0 });
    entry.rounds++;
    entry.lost += checked?.lost ?? 0;
    entry.lossWindowMsMax = Math.max(entry.lossWindowMsMax, round1(checked?.lossWindowMs?.max ?? 0));
  }
  const metrics: DurabilityMetrics = {
    kills: crashes.length,
    acked,
    lost,
    corrupt: sum((round) => round.corrupt),
    lossWindowMs: { max: round1(maxOf(windows, 0)), p50: round1(percentile(windows, 50)) },
    survivedUnacked: sum((round) => round.survivedUnacked),
    failedRestarts: crashes.filter((pair) => pair.checked?.restart === "failed").length,
    repairs: crashes.filter((pair) => pair.checked?.repairNeeded === true).length,
    verdict,
    outcome,
    policy: policyKey(input.policy),
    crash: input.powerLoss.asked && input.powerLoss.unavailable === undefined ? "power-loss" : "kill",
    lostPercent: acked === 0 ? 0 : Math.round((lost / acked) * 1e6) / 1e4,
    recoveredLost: sum((round) => round.recoveredLost),
    stale: sum((round) => round.stale),
    violations: verdicts.filter((v) => v === "violation").length,
    lostRounds: crashes.filter((pair) => (pair.checked?.lost ?? 0) > 0).length,
    plannedFaults: input.plannedFaults,
    faultsDone: input.faultsDone,
    triggers,
    byCrash,
    downtimeMs: { max: maxOf(downtimes, 0), p50: percentile(downtimes, 50) },
    readyMs: { max: round1(maxOf(ready, 0)), p50: round1(percentile(ready, 50)) },
    seed: input.seed,
    reproduce: input.reproduce,
    rounds: crashes.map((pair) => describeRound(pair.record, pair.checked)),
  };
  if (input.powerLoss.asked)
    metrics["powerLoss"] =
      input.powerLoss.unavailable === undefined
        ? { applied: true }
        : { applied: false, reason: input.powerLoss.unavailable };
  if (drillDescriptions.length > 0) metrics["drills"] = drillDescriptions;
  return metrics;
}
