// The two load executors. Closed loop: each client keeps `pipeline` requests in flight, sending the next when
// one completes (throughput is whatever the server sustains). Open loop: requests are scheduled at a fixed
// target rate; each op's latency is measured from its *intended* send time (plan.ts), so a stalled server
// shows up as latency instead of silently lowering the offered load (coordinated omission corrected).
import type { CommandOutcome, WorkloadConnection } from "./connection.ts";
import type { GeneratedOp, OpGenerator } from "./ops.ts";
import type { OpSink } from "./sink.ts";
import { getIntendedSendMs } from "../scenario/plan.ts";

/** When a phase stops issuing: a duration, an op count, or an abort. */
export interface StopCondition {
  durationMs: number | undefined;
  ops: number | undefined;
  signal: AbortSignal | undefined;
}

/** What an executor did. */
export interface ExecutorResult {
  issued: number;
  elapsedMs: number;
  /** Open loop: scheduled ops never sent because the phase ended first (backlog). */
  missed: number;
}

const BACKOFF_MS = 10;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Sends one op through the callback path (or the promise path) and records it; calls done with the outcome.
function issueOpCallback(
  sink: OpSink,
  connection: WorkloadConnection,
  generator: OpGenerator,
  client: number,
  intendedMs: number | undefined,
  done: (outcome: CommandOutcome) => void,
): void {
  const id = sink.nextId();
  const op = generator.next(id);
  const invokeMs = sink.nowMs();
  const complete = (outcome: CommandOutcome): void => {
    sink.record(id, client, op, outcome, invokeMs, sink.nowMs(), intendedMs);
    done(outcome);
  };
  if (connection.sendCallback !== undefined) connection.sendCallback(op.f, op.args, complete, op.fill);
  else void connection.send(op.f, op.args, op.fill).then(complete);
}

/** Runs a closed loop of connections × pipeline slots until the stop condition. */
export function runClosedLoop(options: {
  connections: readonly WorkloadConnection[];
  generators: readonly OpGenerator[];
  pipeline: number;
  stop: StopCondition;
  sink: OpSink;
}): Promise<ExecutorResult> {
  const { connections, generators, pipeline, stop, sink } = options;
  const startMs = sink.nowMs();
  const endMs = stop.durationMs === undefined ? Infinity : startMs + stop.durationMs;
  const maxOps = stop.ops ?? Infinity;
  let issued = 0;
  let activeSlots = connections.length * pipeline;
  // The deadline is a timer flag rather than a clock read per op (performance.now is not free at 10^6 ops/s).
  let timeUp = false;
  const deadline = Number.isFinite(endMs)
    ? setTimeout(
        () => {
          timeUp = true;
        },
        Math.max(0, endMs - sink.nowMs()),
      )
    : undefined;
  const shouldStop = (): boolean => timeUp || issued >= maxOps || stop.signal?.aborted === true;
  return new Promise((resolve) => {
    const finishSlot = (): void => {
      if (--activeSlots === 0) {
        clearTimeout(deadline);
        resolve({ issued, elapsedMs: sink.nowMs() - startMs, missed: 0 });
      }
    };
    if (activeSlots === 0) {
      activeSlots = 1;
      finishSlot();
    }
    // A slot has exactly one op in flight, so its state lives in the slot: no closure per op.
    const startSlot = (client: number): void => {
      const connection = connections[client] as WorkloadConnection;
      const generator = generators[client] as OpGenerator;
      let id = 0;
      let op: GeneratedOp | undefined;
      let invokeMs = 0;
      const onComplete = (outcome: CommandOutcome): void => {
        sink.record(id, client, op as GeneratedOp, outcome, invokeMs, sink.nowMs());
        // A dead server fails fast: back off instead of spinning.
        if (outcome.connectionError === true) setTimeout(next, BACKOFF_MS);
        else next();
      };
      const next = (): void => {
        if (shouldStop()) {
          finishSlot();
          return;
        }
        issued++;
        id = sink.nextId();
        op = generator.next(id);
        invokeMs = sink.nowMs();
        if (connection.sendCallback !== undefined) connection.sendCallback(op.f, op.args, onComplete, op.fill);
        else void connection.send(op.f, op.args, op.fill).then(onComplete);
      };
      next();
    };
    for (let client = 0; client < connections.length; client++) for (let p = 0; p < pipeline; p++) startSlot(client);
  });
}

/** Runs an open loop at `rate` ops/s over the connections (round robin), at most maxInFlight outstanding. */
export async function runOpenLoop(options: {
  connections: readonly WorkloadConnection[];
  generators: readonly OpGenerator[];
  rate: number;
  maxInFlight: number;
  stop: StopCondition;
  sink: OpSink;
}): Promise<ExecutorResult> {
  const { connections, generators, rate, maxInFlight, stop, sink } = options;
  const startMs = sink.nowMs();
  const endMs = stop.durationMs === undefined ? Infinity : startMs + stop.durationMs;
  const maxOps = stop.ops ?? Infinity;
  let issued = 0;
  let inFlight = 0;
  let nextClient = 0;
  const pending = new Set<Promise<unknown>>();
  while (issued < maxOps && stop.signal?.aborted !== true) {
    const now = sink.nowMs();
    const intended = startMs + getIntendedSendMs(issued, rate);
    if (intended >= endMs) break;
    if (intended > now) {
      await sleep(Math.min(50, Math.max(1, intended - now)));
      continue;
    }
    if (inFlight >= maxInFlight) {
      // Saturated: the backlog waits; its latency still counts from the intended time.
      await Promise.race(pending);
      continue;
    }
    const client = nextClient;
    nextClient = (nextClient + 1) % connections.length;
    inFlight++;
    issued++;
    const promise: Promise<unknown> = new Promise<CommandOutcome>((resolve) =>
      issueOpCallback(
        sink,
        connections[client] as WorkloadConnection,
        generators[client] as OpGenerator,
        client,
        intended,
        resolve,
      ),
    ).finally(() => {
      inFlight--;
      pending.delete(promise);
    });
    pending.add(promise);
    // Yield to I/O now and then so replies are processed while we catch up on a backlog.
    if (issued % 256 === 0) await sleep(0);
  }
  await Promise.all(pending);
  const totalPlanned =
    stop.durationMs === undefined ? issued : Math.min(maxOps, Math.ceil((stop.durationMs * rate) / 1000));
  return { issued, elapsedMs: sink.nowMs() - startMs, missed: Math.max(0, totalPlanned - issued) };
}
