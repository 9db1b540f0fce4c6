// Counter view of a key for the durability checker: a key written only by INCR in a round starts from the
// state last observed (the previous restart's read-back, or absent = 0) and may end, after a crash, at any
// count those INCRs can reach (acknowledged or without reply); INCR replies tell which acknowledged INCRs vanished.
import type { Op } from "../history/op.ts";
import type { RegisterWrite } from "./register-writes.ts";

/** The counter commands followed (every INCR adds 1). */
export const COUNTER_COMMANDS: ReadonlySet<string> = new Set(["INCR"]);

/** How a counter's read-back value relates to the round's starting state and its INCRs. */
export interface CounterJudgement {
  /** ok: reachable from the start; stale: below the start (a recovered count went back); corrupt: unreachable. */
  outcome: "ok" | "stale" | "corrupt";
  /** Acknowledged INCRs whose effect vanished (reply above the count read back), as register writes. */
  lostIncrs: RegisterWrite[];
  /** The starting state (recovered by the previous restart) vanished. */
  priorLost: boolean;
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** A Redis integer string as a number; undefined when it is not one (or not exactly representable). */
export function parseCount(value: string): number | undefined {
  if (!INTEGER.test(value)) return undefined;
  const count = Number(value);
  return Number.isSafeInteger(count) ? count : undefined;
}

/** Whether a key's starting state allows the counter view (absent or an integer). */
export function isCountable(prior: RegisterWrite | undefined): boolean {
  return prior === undefined || prior.value === null || parseCount(prior.value) !== undefined;
}

function toLostIncr(op: Op): RegisterWrite {
  return {
    id: op.id,
    key: op.key,
    value: op.value ?? null,
    acked: true,
    type: op.type,
    invokeUs: op.invokeUs,
    completeUs: op.completeUs ?? op.invokeUs,
  };
}

/**
 * Judges a counter read back after a crash. `prior`: the state at the round's start (undefined/null value:
 * absent, counts as 0); `incrs`: the round's INCR ops on the key; `observed`: the value read back (null: absent).
 */
export function judgeCounter(
  prior: RegisterWrite | undefined,
  incrs: readonly Op[],
  observed: string | null,
): CounterJudgement {
  const priorValue = prior?.value ?? null;
  const start = priorValue === null ? 0 : (parseCount(priorValue) ?? 0);
  const acked = incrs.filter((op) => op.type === "ok" && op.completeUs !== undefined);
  // A failed INCR did not happen; an acknowledged or unanswered one may have.
  const reachable = start + incrs.filter((op) => op.type !== "fail").length;
  const vanished = (count: number): RegisterWrite[] =>
    acked
      .filter((op) => {
        const reply = parseCount(op.value ?? "");
        return reply !== undefined && reply > count;
      })
      .map(toLostIncr);
  if (observed === null) {
    // Absent is the state before any write: every acknowledged INCR and the recovered count vanished.
    return { outcome: "ok", lostIncrs: acked.map(toLostIncr), priorLost: priorValue !== null };
  }
  const count = parseCount(observed);
  if (count === undefined || count > reachable) return { outcome: "corrupt", lostIncrs: [], priorLost: false };
  if (count >= start) return { outcome: "ok", lostIncrs: vanished(count), priorLost: false };
  // Below the recovered count: a value the counter held earlier (INCRs count up from 0 one at a time).
  if (count >= Math.min(0, start))
    return { outcome: "stale", lostIncrs: acked.map(toLostIncr), priorLost: priorValue !== null };
  return { outcome: "corrupt", lostIncrs: [], priorLost: false };
}
