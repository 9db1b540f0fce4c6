// OpSink: where executors report each op (ids, outcome, latency) — latency histograms, timeline, counters
// and history in one place, so closed and open loops record identically.
import type { HistoryRecorder, RecordedOp } from "../history/recorder.ts";
import { readEventTimeMs } from "../stats/event-clock.ts";
import type { LatencyRecorder } from "../stats/latency-recorder.ts";
import { recordLatencyUs, type LatencyHistogram } from "../stats/histogram.ts";
import type { TimelineRecorder } from "../stats/timeline.ts";
import type { OpType } from "../history/op.ts";
import type { GeneratedOp } from "./ops.ts";
import type { CommandOutcome } from "./connection.ts";

/** Counters of outcomes, plus error messages by frequency. */
export interface OutcomeCounts {
  ok: number;
  fail: number;
  info: number;
  errors: Map<string, number>;
}

/** Collects every op of a run. Times are ms since the run's start (performance.now based). */
export class OpSink {
  readonly startMs: number;
  readonly latency: LatencyRecorder;
  readonly timeline: TimelineRecorder;
  readonly history: HistoryRecorder;
  /** While false (warm-up), ops go to history only. */
  recording = true;
  /** Counts of recorded ops. */
  readonly counts: OutcomeCounts = { ok: 0, fail: 0, info: 0, errors: new Map() };
  /** Optional observer of every op while recording (e.g. the rewrite phase's before/during windows). */
  tap: ((type: OpType, latencyUs: number) => void) | undefined = undefined;
  /** The current load phase's own latency histogram (ok ops, recorded or not); run-one sets and summarises it. */
  phaseLatency: LatencyHistogram | undefined = undefined;
  /** Counts of all ops including warm-up. */
  readonly totals = { ok: 0, fail: 0, info: 0 };
  #nextId = 1;
  /** The one op object history lines are formatted from when the recorder does not keep ops (no allocation per op). */
  readonly #scratch: RecordedOp = {
    id: 0,
    client: 0,
    f: "",
    key: "",
    value: undefined,
    fill: undefined,
    type: "ok",
    invokeUs: 0,
    completeUs: undefined,
    intendedUs: undefined,
    error: undefined,
  };

  constructor(options: {
    startMs: number;
    latency: LatencyRecorder;
    timeline: TimelineRecorder;
    history: HistoryRecorder;
  }) {
    this.startMs = options.startMs;
    this.latency = options.latency;
    this.timeline = options.timeline;
    this.history = options.history;
  }

  /** Milliseconds since run start (the current I/O event's time while replies are being processed). */
  nowMs(): number {
    return readEventTimeMs() - this.startMs;
  }

  /** Allocates the next op id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** Records one finished op. invokeMs/completeMs/intendedMs are ms since run start. */
  record(
    id: number,
    client: number,
    op: GeneratedOp,
    outcome: CommandOutcome,
    invokeMs: number,
    completeMs: number,
    intendedMs?: number,
  ): void {
    const type: OpType = outcome.type;
    // Branches rather than this.totals[type]: a keyed load with a variable name goes megamorphic on the hot path.
    if (type === "ok") this.totals.ok++;
    else if (type === "fail") this.totals.fail++;
    else this.totals.info++;
    if (type === "ok" && this.phaseLatency !== undefined)
      recordLatencyUs(this.phaseLatency, (completeMs - (intendedMs ?? invokeMs)) * 1000);
    if (this.recording) {
      const latencyUs = (completeMs - (intendedMs ?? invokeMs)) * 1000;
      if (type === "ok") this.counts.ok++;
      else if (type === "fail") this.counts.fail++;
      else this.counts.info++;
      if (type === "ok") this.latency.record(op.f, latencyUs);
      else if (outcome.error !== undefined) {
        const kind = outcome.error.replace(/\d+/g, "N").slice(0, 80);
        this.counts.errors.set(kind, (this.counts.errors.get(kind) ?? 0) + 1);
      }
      this.timeline.record(completeMs, type, latencyUs);
      this.tap?.(type, latencyUs);
    }
    if (this.history.wants(op.f)) {
      // The value written (a generated one stays a FilledValue, and the key a NumberedKey: the recorder
      // formats them without strings), INCR's reply, or under "all" the value a read returned.
      const fill = op.fill;
      const value =
        op.f === "INCR" && type === "ok"
          ? String(outcome.reply)
          : this.history.mode === "all" &&
              op.value === undefined &&
              fill === undefined &&
              type === "ok" &&
              outcome.reply !== null &&
              outcome.reply !== undefined
            ? String(outcome.reply)
            : op.value;
      const recorded = this.history.retains ? { ...this.#scratch } : this.#scratch;
      recorded.id = id;
      recorded.client = client;
      recorded.f = op.f;
      recorded.key = op.key;
      recorded.value = value;
      recorded.fill = value === undefined ? fill : undefined;
      recorded.type = type;
      recorded.invokeUs = Math.round(invokeMs * 1000);
      recorded.completeUs = Math.round(completeMs * 1000);
      recorded.intendedUs = intendedMs === undefined ? undefined : Math.round(intendedMs * 1000);
      recorded.error = outcome.error;
      this.history.record(recorded, outcome.connectionError === true);
    }
  }
}
