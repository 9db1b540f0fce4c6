// Durability checker (pure): after each kill or power cut and restart, which acknowledged writes vanished,
// how far back (loss window), which keys hold values nobody wrote (corrupt), which unacknowledged writes
// survived; judged against what the persistence policy promises (policy-expectations.ts).
import type { Op } from "../history/op.ts";
import type { Checker, CheckResult, Validity } from "./checker.ts";
import { resolveAllowedLoss, type AllowedLoss, type CrashKind, type PersistencePolicy } from "./policy-expectations.ts";
import { groupWritesByKey, isOlder, toRegisterWrite, type RegisterWrite } from "./register-writes.ts";
import { COUNTER_COMMANDS, isCountable, judgeCounter } from "./counter-writes.ts";
import { appendAll } from "../shared/bulk-arrays.ts";

/** One crash and the restart after it. */
export interface CrashRound {
  kind: CrashKind;
  /** When the engine was killed or the power cut (µs, the history's clock). */
  crashUs: number;
  /** "repaired": the data needed a repair tool (e.g. redis-check-aof --fix) before the restart; default "ok". */
  restart?: "ok" | "repaired" | "failed";
  /** Key → value read back after the restart (a key not in the map is absent). Not needed when the restart failed. */
  readBack?: ReadonlyMap<string, string>;
  /** RDB: start (µs) of the last save that completed before the crash; null: none completed; undefined: unknown. */
  lastSaveUs?: number | null;
  /** AOF everysec: an acknowledged write may have been postponed and not yet written (see RoundRecord.writePostponed). */
  writePostponed?: boolean;
  /**
   * Where the loss window is measured back from when the data was lost before the crash (a failed fsync that
   * dropped the file's unsynced tail, µs); default crashUs.
   */
  lossPointUs?: number;
}

/** Input of checkDurability. */
export interface DurabilityInput {
  history: readonly Op[];
  rounds: readonly CrashRound[];
  policy: PersistencePolicy;
  /** State before the history began (preloaded keys): treated as acknowledged writes at the start. */
  initial?: ReadonlyMap<string, string>;
  /**
   * When the initial state was acknowledged (µs). Given: initial keys are judged like client writes completed
   * then (e.g. preloaded data not yet saved may vanish under RDB). Absent: they count as state already
   * recovered from disk, whose loss is never allowed.
   */
  initialAckedUs?: number;
  /** Slack for time comparisons against the policy window (clock and measurement error); default 50 ms. */
  toleranceMs?: number;
  /** Read-back keys that no write or initial state mentions: "corrupt" (default) or "ignore". */
  unknownKeys?: "corrupt" | "ignore";
  /** How many example writes/keys to list per round; default 20. */
  maxExamples?: number;
}

/** Per-round verdict: no loss, loss within what the policy allows, a broken promise, or undecidable. */
export type DurabilityVerdict = "ok" | "lost-as-allowed" | "violation" | "unknown";

/** One acknowledged write whose effect vanished. */
export interface LostWrite {
  id: number;
  key: string;
  /** crashUs - ack time, in ms. */
  windowMs: number;
  allowed: boolean | "unknown";
  /** The write was state recovered by the previous restart, not a client write of this round. */
  recovered: boolean;
}

/** Figures for one crash round. */
export interface DurabilityRound {
  index: number;
  kind: CrashKind;
  crashUs: number;
  restart: "ok" | "repaired" | "failed";
  repairNeeded: boolean;
  verdict: DurabilityVerdict;
  valid: Validity;
  allowed: AllowedLoss;
  ackedWrites: number;
  lost: number;
  lostPercent: number;
  /** Loss window over the lost acknowledged client writes (ms); null when none was lost. */
  lossWindowMs: { max: number; p50: number } | null;
  /** State recovered by the previous restart and lost in this one (counted apart from `lost`). */
  recoveredLost: number;
  corrupt: number;
  /** Keys holding an older value some client wrote before this round (the state went back past the previous restart). */
  stale: number;
  survivedUnacked: number;
  /** Keys written by commands neither the register nor the counter view can follow (HSET, SET mixed with INCR...): not checked. */
  uncheckedKeys: number;
  lostExamples: LostWrite[];
  corruptExamples: { key: string; value: string }[];
  survivedUnackedIds: number[];
  reasons: string[];
}

/** Result of checkDurability: merged validity, per-round figures and totals. */
export interface DurabilityResult extends CheckResult {
  policy: PersistencePolicy;
  rounds: DurabilityRound[];
  totals: {
    ackedWrites: number;
    lost: number;
    lostPercent: number;
    corrupt: number;
    stale: number;
    survivedUnacked: number;
    recoveredLost: number;
    lossWindowMs: { max: number; p50: number } | null;
  };
}

const INITIAL_ABSENT = (key: string): RegisterWrite => ({
  id: -1,
  key,
  value: null,
  acked: false,
  type: "initial",
  invokeUs: Number.NEGATIVE_INFINITY,
  completeUs: Number.NEGATIVE_INFINITY,
});

// Nearest-rank percentile of ascending values.
function nearestRank(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((percent / 100) * sorted.length))) - 1] ?? 0;
}

function summarizeWindows(windows: number[]): { max: number; p50: number } | null {
  if (windows.length === 0) return null;
  const sorted = [...windows].sort((a, b) => a - b);
  return { max: sorted.at(-1) ?? 0, p50: nearestRank(sorted, 50) };
}

// Whether losing write `lost` is within the policy's promise.
function isLossAllowed(
  allowed: AllowedLoss,
  lost: RegisterWrite,
  recovered: boolean,
  round: CrashRound,
  windowMs: number,
  toleranceMs: number,
): boolean | "unknown" {
  if (allowed.kind === "any") return true;
  if (recovered || allowed.kind === "none") return false;
  if (allowed.kind === "window") return windowMs <= allowed.windowMs + toleranceMs;
  if (round.lastSaveUs === undefined) return "unknown";
  if (round.lastSaveUs === null) return true;
  return lost.completeUs + toleranceMs * 1000 >= round.lastSaveUs;
}

// The candidate that explains the observed state: among writes of that value, the one that completed last.
function pickSurvivor(candidates: readonly RegisterWrite[], observed: string | null): RegisterWrite | undefined {
  let best: RegisterWrite | undefined;
  for (const candidate of candidates) {
    if (candidate.value !== observed) continue;
    if (best === undefined || candidate.completeUs > best.completeUs) best = candidate;
  }
  return best;
}

interface RoundContext {
  /** Every value any write put under a key, by `key\0value` (to tell a resurrected old value from garbage). */
  written: ReadonlyMap<string, RegisterWrite>;
  round: CrashRound;
  index: number;
  windowStartUs: number;
  baseline: Map<string, RegisterWrite>;
  /** False when the previous round read nothing back: the state this round starts from is unknown. */
  startKnown: boolean;
  /** Keys any counter command (INCR) wrote anywhere in the history. */
  counterKeys: ReadonlySet<string>;
  input: DurabilityInput;
}

function checkRound(context: RoundContext): {
  result: DurabilityRound;
  nextBaseline: Map<string, RegisterWrite>;
  windows: number[];
} {
  const { round, index, windowStartUs, baseline, input, written } = context;
  const toleranceMs = input.toleranceMs ?? 50;
  const maxExamples = input.maxExamples ?? 20;
  const restart = round.restart ?? "ok";
  const allowed = resolveAllowedLoss(input.policy, round.kind, round.writePostponed === true);
  const grouped = groupWritesByKey(input.history, windowStartUs, round.crashUs, (command) =>
    COUNTER_COMMANDS.has(command),
  );
  const { byKey } = grouped;
  const opaqueKeys = new Set(grouped.opaqueKeys);
  // INCR-only keys are followed from their last observed state, when that state is a count (or absent).
  const counters = new Map<string, readonly Op[]>();
  for (const [key, incrs] of grouped.counters) {
    if (isCountable(baseline.get(key))) counters.set(key, incrs);
    else opaqueKeys.add(key);
  }
  // After a round that read nothing back, a counter's starting count is unknown: it cannot be judged until observed again.
  if (!context.startKnown) {
    for (const key of [...grouped.counters.keys(), ...(round.readBack?.keys() ?? [])]) {
      if (baseline.has(key) || !context.counterKeys.has(key)) continue;
      counters.delete(key);
      opaqueKeys.add(key);
    }
  }
  const initialAcked = [...baseline.values()].filter(
    (write) => write.type === "ok" && !opaqueKeys.has(write.key),
  ).length;
  const ackedIncrs = [...counters.values()].reduce(
    (sum, incrs) => sum + incrs.filter((op) => op.type === "ok" && op.completeUs !== undefined).length,
    0,
  );
  const ackedWrites =
    initialAcked +
    ackedIncrs +
    [...byKey.values()].reduce(
      (sum, writes) => sum + writes.filter((write) => write.acked && !opaqueKeys.has(write.key)).length,
      0,
    );
  const reasons: string[] = [];
  const lostWrites: LostWrite[] = [];
  const corruptExamples: { key: string; value: string }[] = [];
  const survivedUnackedIds: number[] = [];
  let corrupt = 0;
  let stale = 0;
  const nextBaseline = new Map<string, RegisterWrite>();
  const base = {
    index,
    kind: round.kind,
    crashUs: round.crashUs,
    restart,
    repairNeeded: restart === "repaired",
    allowed,
    ackedWrites,
    uncheckedKeys: opaqueKeys.size,
  };

  if (restart === "failed" || round.readBack === undefined) {
    reasons.push(restart === "failed" ? "the engine failed to restart" : "no data was read back after the restart");
    const result: DurabilityRound = {
      ...base,
      verdict: "violation",
      valid: false,
      lost: 0,
      lostPercent: 0,
      lossWindowMs: null,
      recoveredLost: 0,
      corrupt: 0,
      stale: 0,
      survivedUnacked: 0,
      lostExamples: [],
      corruptExamples: [],
      survivedUnackedIds: [],
      reasons,
    };
    return { result, nextBaseline, windows: [] };
  }
  const readBack = round.readBack;
  const keys = new Set<string>([...byKey.keys(), ...counters.keys(), ...baseline.keys(), ...readBack.keys()]);
  // What this restart recovered is the next round's starting state, whichever view (if any) judged the key.
  const carry = (key: string, observed: string | null): void => {
    if (observed !== null)
      nextBaseline.set(key, {
        id: -1,
        key,
        value: observed,
        acked: true,
        type: "recovered",
        invokeUs: round.crashUs,
        completeUs: round.crashUs,
      });
  };
  const noteLost = (key: string, write: RegisterWrite): void => {
    const recovered = write.type === "recovered";
    const windowMs = Math.max(0, ((round.lossPointUs ?? round.crashUs) - write.completeUs) / 1000);
    lostWrites.push({
      id: write.id,
      key,
      windowMs,
      allowed: isLossAllowed(allowed, write, recovered, round, windowMs, toleranceMs),
      recovered,
    });
  };
  for (const key of [...keys].sort()) {
    const observedHere = readBack.get(key) ?? null;
    if (opaqueKeys.has(key)) {
      // A key given a time to live may vanish by itself in a later round: it is not a starting state to hold it to.
      if (!grouped.volatileKeys.has(key)) carry(key, observedHere);
      continue;
    }
    const prior = baseline.get(key);
    const incrs = counters.get(key);
    if (incrs !== undefined) {
      const judged = judgeCounter(prior, incrs, observedHere);
      if (judged.outcome === "corrupt") {
        corrupt++;
        if (corruptExamples.length < maxExamples) corruptExamples.push({ key, value: observedHere ?? "" });
      } else if (judged.outcome === "stale") stale++;
      if (judged.priorLost && prior !== undefined && prior.acked) noteLost(key, prior);
      for (const write of judged.lostIncrs) noteLost(key, write);
      carry(key, observedHere);
      continue;
    }
    const writes = byKey.get(key) ?? [];
    if (writes.length === 0 && prior === undefined && input.unknownKeys === "ignore") continue;
    const candidates = [INITIAL_ABSENT(key), ...(prior === undefined ? [] : [prior]), ...writes];
    const observed = readBack.get(key) ?? null;
    let survivor = pickSurvivor(candidates, observed);
    const older = survivor === undefined && observed !== null ? written.get(`${key}\u0000${observed}`) : undefined;
    if (survivor === undefined && older !== undefined && older.invokeUs <= round.crashUs) {
      // A value written before this round came back: the newer acknowledged state is what was lost.
      stale++;
      survivor = older;
    } else if (survivor === undefined) {
      corrupt++;
      if (corruptExamples.length < maxExamples) corruptExamples.push({ key, value: observed ?? "" });
      survivor = INITIAL_ABSENT(key);
    } else if (!survivor.acked && survivor.type !== "initial") {
      survivedUnackedIds.push(survivor.id);
    }
    for (const write of prior === undefined ? writes : [prior, ...writes]) {
      if (write.acked && isOlder(survivor, write)) noteLost(key, write);
    }
    carry(key, observed);
  }

  const clientLost = lostWrites.filter((write) => !write.recovered);
  const recoveredLost = lostWrites.length - clientLost.length;
  const disallowed = lostWrites.filter((write) => write.allowed === false);
  const undecided = lostWrites.filter((write) => write.allowed === "unknown");
  if (corrupt > 0) reasons.push(`${corrupt} key(s) hold a value no client wrote`);
  if (stale > 0) reasons.push(`${stale} key(s) went back to a value written before the previous restart`);
  if (disallowed.length > 0)
    reasons.push(`${disallowed.length} acknowledged write(s) lost beyond what ${describeAllowed(allowed)} allows`);
  if (undecided.length > 0)
    reasons.push(`${undecided.length} lost write(s) cannot be judged: the time of the last completed save is unknown`);
  let verdict: DurabilityVerdict = "ok";
  if (corrupt > 0 || disallowed.length > 0) verdict = "violation";
  else if (undecided.length > 0) verdict = "unknown";
  else if (lostWrites.length > 0) verdict = "lost-as-allowed";
  const valid: Validity = verdict === "violation" ? false : verdict === "unknown" ? "unknown" : true;
  const result: DurabilityRound = {
    ...base,
    verdict,
    valid,
    lost: clientLost.length,
    lostPercent: ackedWrites === 0 ? 0 : (clientLost.length / ackedWrites) * 100,
    lossWindowMs: summarizeWindows(clientLost.map((write) => write.windowMs)),
    recoveredLost,
    corrupt,
    stale,
    survivedUnacked: survivedUnackedIds.length,
    lostExamples: [...disallowed, ...lostWrites.filter((write) => write.allowed !== false)].slice(0, maxExamples),
    corruptExamples,
    survivedUnackedIds: survivedUnackedIds.slice(0, maxExamples),
    reasons,
  };
  return { result, nextBaseline, windows: clientLost.map((write) => write.windowMs) };
}

function describeAllowed(allowed: AllowedLoss): string {
  switch (allowed.kind) {
    case "none":
      return "a policy that promises no loss";
    case "window":
      return `a ${allowed.windowMs} ms window`;
    case "since-last-save":
      return "losing only what came after the last completed save";
    case "any":
      return "a policy without promises";
  }
}

/** Checks every crash round in order; each round's read-back becomes the next round's starting state. */
export function checkDurability(input: DurabilityInput): DurabilityResult {
  const rounds: DurabilityRound[] = [];
  const windows: number[] = [];
  let baseline = new Map<string, RegisterWrite>();
  const initialAt = input.initialAckedUs ?? Number.MIN_SAFE_INTEGER;
  const initialType = input.initialAckedUs === undefined ? "recovered" : "ok";
  for (const [key, value] of input.initial ?? [])
    baseline.set(key, {
      id: -1,
      key,
      value,
      acked: true,
      type: initialType,
      invokeUs: initialAt,
      completeUs: initialAt,
    });
  const written = new Map<string, RegisterWrite>();
  const counterKeys = new Set(
    input.history.filter((op) => COUNTER_COMMANDS.has(op.f.toUpperCase())).map((op) => op.key),
  );
  for (const write of baseline.values()) written.set(`${write.key}\u0000${write.value ?? ""}`, write);
  for (const op of input.history) {
    const write = toRegisterWrite(op);
    if (write !== undefined && write.value !== null) written.set(`${write.key}\u0000${write.value}`, write);
  }
  let windowStartUs = Number.NEGATIVE_INFINITY;
  const ordered = [...input.rounds].sort((a, b) => a.crashUs - b.crashUs);
  for (const [index, round] of ordered.entries()) {
    const previous = ordered[index - 1];
    const startKnown = previous === undefined || (previous.restart !== "failed" && previous.readBack !== undefined);
    const checked = checkRound({ round, index, windowStartUs, baseline, startKnown, counterKeys, input, written });
    const { result, nextBaseline } = checked;
    appendAll(windows, checked.windows);
    rounds.push(result);
    baseline = nextBaseline;
    windowStartUs = round.crashUs;
  }
  const ackedWrites = rounds.reduce((sum, round) => sum + round.ackedWrites, 0);
  const lost = rounds.reduce((sum, round) => sum + round.lost, 0);
  const totals = {
    ackedWrites,
    lost,
    lostPercent: ackedWrites === 0 ? 0 : (lost / ackedWrites) * 100,
    corrupt: rounds.reduce((sum, round) => sum + round.corrupt, 0),
    stale: rounds.reduce((sum, round) => sum + round.stale, 0),
    survivedUnacked: rounds.reduce((sum, round) => sum + round.survivedUnacked, 0),
    recoveredLost: rounds.reduce((sum, round) => sum + round.recoveredLost, 0),
    lossWindowMs: summarizeWindows(windows),
  };
  const valid: Validity = rounds.some((round) => round.valid === false)
    ? false
    : rounds.some((round) => round.valid === "unknown")
      ? "unknown"
      : true;
  const summary =
    rounds.length === 0
      ? "no crash rounds to check"
      : `${lost}/${ackedWrites} acknowledged writes lost, ${totals.corrupt} corrupt, ${rounds.filter((round) => round.verdict === "violation").length} violating round(s)`;
  return { valid, summary, policy: input.policy, rounds, totals };
}

/** The durability check as a Checker, for compose(). */
export const DURABILITY_CHECKER = { name: "durability", check: checkDurability } satisfies Checker<
  DurabilityInput,
  DurabilityResult
>;
