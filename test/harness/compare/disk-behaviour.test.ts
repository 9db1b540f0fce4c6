// compare's disk-fault block: the same strategy and fault kind described alike on both sides is "same",
// an engine that heals where the other stays refused (or exits where the other keeps running) is listed.
import { describe, expect, it } from "vitest";
import { compareDiskBehaviour, renderDiskBehaviour } from "../../../src/harness/compare/disk-behaviour.ts";
import type { DiskFaultRoundMetrics } from "../../../src/harness/nemesis/disk-fault-metrics.ts";
import type { Results } from "../../../src/harness/results/schema.ts";

const round = (kind: string, patch: Partial<DiskFaultRoundMetrics>): DiskFaultRoundMetrics => ({
  i: 0,
  kind,
  durationMs: 2000,
  exited: false,
  exitCode: null,
  ackedDuringFault: 0,
  ackLatencyMs: { p50: 0, p99: 0, max: 0 },
  refused: 10,
  errors: [{ error: "MISCONF Errors writing to the AOF file: Input/output error", count: 10 }],
  unanswered: 0,
  recoveredWithoutRestart: true,
  refusedAfterHealMs: 5,
  lost: 0,
  verdict: "ok",
  shim: { writesFailed: 1, syncsFailed: 0, namesFailed: 0, syncsDelayed: 0, bytesDropped: 0 },
  log: [],
  ...patch,
});

const results = (rounds: Record<string, DiskFaultRoundMetrics[]>): Results =>
  ({
    runs: Object.entries(rounds).map(([strategy, list]) => ({
      id: `${strategy}#1`,
      strategy,
      metrics: { durability: { disk: { rounds: list, byKind: {} } } },
    })),
  }) as unknown as Results;

describe("compareDiskBehaviour", () => {
  it("lists only the pairs the engines answered differently", () => {
    const a = results({
      "aof-everysec": [
        round("write-eio", {}),
        round("fsync-eio", { recoveredWithoutRestart: false, refusedAfterHealMs: null }),
      ],
      "aof-always": [round("write-eio", { exited: true, exitCode: 1, errors: [], refused: 0 })],
    });
    const b = results({
      "aof-everysec": [round("write-eio", { refusedAfterHealMs: 40 }), round("fsync-eio", {})],
      "aof-always": [round("write-eio", { exited: true, exitCode: 1, errors: [], refused: 0 })],
    });
    const rows = compareDiskBehaviour(a, b);
    expect(rows).toHaveLength(3);
    expect(rows.filter((row) => row.differs).map((row) => `${row.strategy} ${row.kind}`)).toEqual([
      "aof-everysec fsync-eio",
    ]);
    const text = renderDiskBehaviour(rows);
    expect(text).toContain("Disk faults: 1 of 3 strategy/fault pairs answered differently:");
    expect(text).toContain(
      "A: kept running; refused: MISCONF Errors writing to the AOF file: Input/output error; still refusing when the round ended; lost none",
    );
    expect(text).toContain(
      "B: kept running; refused: MISCONF Errors writing to the AOF file: Input/output error; wrote again after the disk healed; lost none",
    );
  });

  it("is empty when either side has no disk faults", () => {
    expect(compareDiskBehaviour(results({ rdb: [round("disk-full", {})] }), results({}))).toEqual([]);
    expect(renderDiskBehaviour([])).toBe("");
  });
});
