// metrics.durability.disk: what each disk-fault round did to the load, from the history and the round's
// record: writes acknowledged during the fault (and their latency), writes the engine refused (and with
// which error), writes that got no answer (the engine gone), how long writes stayed refused after the disk
// healed, whether the engine recovered without a restart or exited, and what the restart kept.
import type { DurabilityRound } from "../checker/durability.ts";
import type { Op } from "../history/op.ts";
import { maxOf, nearestRankPercentile } from "../shared/bulk-arrays.ts";
import type { RoundRecord } from "./round-record.ts";

/** One disk-fault round in results.json. */
export interface DiskFaultRoundMetrics {
  i: number;
  kind: string;
  durationMs: number;
  /** The engine exited by itself (exit code), or null when it kept running until the round's kill. */
  exitCode: number | null;
  exited: boolean;
  /** Writes acknowledged while the disk was failing, and their latency (ms, from the intended start). */
  ackedDuringFault: number;
  ackLatencyMs: { p50: number; p99: number; max: number };
  /** Writes answered with an error between the fault and the round's end, by error text (most frequent first). */
  refused: number;
  errors: Array<{ error: string; count: number }>;
  /** Writes with no answer (connection lost or refused, timeouts): the engine was gone. */
  unanswered: number;
  /** Still running, and a write was acknowledged again after the disk healed, without a restart. */
  recoveredWithoutRestart: boolean;
  /** Disk healed → first acknowledged write (ms); null when none before the round's end. */
  refusedAfterHealMs: number | null;
  /** Acknowledged writes the restart did not bring back, and the checker's verdict on them. */
  lost: number;
  verdict: string;
  shim: { writesFailed: number; syncsFailed: number; namesFailed: number; syncsDelayed: number; bytesDropped: number };
  log: string[];
}

/** metrics.durability.disk: rounds, and a line per fault kind. */
export interface DiskFaultMetrics {
  rounds: DiskFaultRoundMetrics[];
  byKind: Record<
    string,
    {
      rounds: number;
      exited: number;
      recovered: number;
      acked: number;
      refused: number;
      unanswered: number;
      lost: number;
      ackP99MsMax: number;
      refusedAfterHealMsMax: number | null;
    }
  >;
}

const ENGINE_ERROR = /^[A-Z][A-Z_]+ /;
const round1 = (value: number): number => Math.round(value * 10) / 10;

// The error as the engine said it (an error reply keeps its code: "MISCONF Errors writing to the AOF file: ...").
function errorText(op: Op): string {
  return (op.error ?? "").replace(/^ReplyError: /, "").slice(0, 100);
}

function describe(
  record: RoundRecord,
  checked: DurabilityRound | undefined,
  history: readonly Op[],
): DiskFaultRoundMetrics | undefined {
  const disk = record.disk;
  if (disk === undefined) return undefined;
  const endUs = record.crash.crashUs;
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let refused = 0;
  let unanswered = 0;
  let firstAckAfterHealUs: number | undefined;
  for (const op of history) {
    if (op.invokeUs < disk.startUs || op.invokeUs > endUs) continue;
    if (op.type === "ok") {
      if (op.invokeUs <= disk.healUs && op.completeUs !== undefined)
        latencies.push((op.completeUs - (op.intendedUs ?? op.invokeUs)) / 1000);
      else if (
        op.invokeUs > disk.healUs &&
        op.completeUs !== undefined &&
        (firstAckAfterHealUs === undefined || op.completeUs < firstAckAfterHealUs)
      )
        firstAckAfterHealUs = op.completeUs;
      continue;
    }
    const text = errorText(op);
    if (op.type === "fail" && ENGINE_ERROR.test(text)) {
      refused++;
      errors.set(text, (errors.get(text) ?? 0) + 1);
    } else {
      unanswered++;
    }
  }
  const exited = disk.exited !== null;
  return {
    i: record.index,
    kind: disk.kind,
    durationMs: Math.round((disk.healUs - disk.startUs) / 1000),
    exited,
    exitCode: disk.exited?.exitCode ?? null,
    ackedDuringFault: latencies.length,
    ackLatencyMs: {
      p50: round1(nearestRankPercentile(latencies, 50)),
      p99: round1(nearestRankPercentile(latencies, 99)),
      max: round1(maxOf(latencies, 0)),
    },
    refused,
    errors: [...errors]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([error, count]) => ({ error, count })),
    unanswered,
    recoveredWithoutRestart: !exited && firstAckAfterHealUs !== undefined,
    refusedAfterHealMs:
      firstAckAfterHealUs === undefined ? null : Math.max(0, Math.round((firstAckAfterHealUs - disk.healUs) / 1000)),
    lost: checked?.lost ?? 0,
    verdict: checked?.verdict ?? "unknown",
    shim: {
      writesFailed: disk.counters.writesFailed,
      syncsFailed: disk.counters.syncsFailed,
      namesFailed: disk.counters.namesFailed,
      syncsDelayed: disk.counters.syncsDelayed,
      bytesDropped: disk.counters.bytesDropped,
    },
    log: disk.log,
  };
}

/** The disk section of a run's durability metrics; undefined when it had no disk-fault round. */
export function buildDiskFaultMetrics(
  records: readonly RoundRecord[],
  checked: readonly DurabilityRound[],
  history: readonly Op[],
): DiskFaultMetrics | undefined {
  const rounds = records.flatMap((record, index) => describe(record, checked[index], history) ?? []);
  if (rounds.length === 0) return undefined;
  const byKind: DiskFaultMetrics["byKind"] = {};
  for (const round of rounds) {
    const entry = (byKind[round.kind] ??= {
      rounds: 0,
      exited: 0,
      recovered: 0,
      acked: 0,
      refused: 0,
      unanswered: 0,
      lost: 0,
      ackP99MsMax: 0,
      refusedAfterHealMsMax: null,
    });
    entry.rounds++;
    if (round.exited) entry.exited++;
    if (round.recoveredWithoutRestart) entry.recovered++;
    entry.acked += round.ackedDuringFault;
    entry.refused += round.refused;
    entry.unanswered += round.unanswered;
    entry.lost += round.lost;
    entry.ackP99MsMax = Math.max(entry.ackP99MsMax, round.ackLatencyMs.p99);
    if (round.refusedAfterHealMs !== null)
      entry.refusedAfterHealMsMax = Math.max(entry.refusedAfterHealMsMax ?? 0, round.refusedAfterHealMs);
  }
  return { rounds, byKind };
}
