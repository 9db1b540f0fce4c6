// The two load executors. Closed loop: each client keeps `pipeline` requests in flight, sending the next when
// one completes (throughput is whatever the server sustains). Open loop: requests are scheduled at a fixed
// target rate; each op's latency is measured from its *intended* send time (plan.ts), so a stalled server
// shows up as latency instead of silently lowering the offered load (coordinated omission corrected).
import type { CommandOutcome, WorkloadConnection } from "./connection.ts";
import type { OpGenerator } from "./ops.ts";
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

// Sends one op and records it.
async function issueOp(sink: OpSink, connection: WorkloadConnection, generator: OpGenerator, client: number, intendedMs?: number): Promise<CommandOutcome> {
  const id = sink.nextId();
  const op = generator.next(id);
  const invokeMs = sink.nowMs();
  const outcome = await connection.send(op.f, op.args);
  sink.record(id, client, op, outcome, invokeMs, sink.nowMs(), intendedMs);
  return outcome;
}

/** Runs a closed loop of connections × pipeline slots until the stop condition. */
export async function runClosedLoop(options: { connections: readonly WorkloadConnection[]; generators: readonly OpGenerator[]; pipeline: number; stop: StopCondition; sink: OpSink }): Promise<ExecutorResult> {
  const { connections, generators, pipeline, stop, sink } = options;
  const startMs = sink.nowMs();
  const endMs = stop.durationMs === undefined ? Infinity : startMs + stop.durationMs;
  const maxOps = stop.ops ?? Infinity;
  let issued = 0;
  const shouldStop = (): boolean => issued >= maxOps || sink.nowMs() >= endMs || stop.signal?.aborted === true;
  const slot = async (client: number): Promise<void> => {
    const connection = connections[client] as WorkloadConnection;
    const generator = generators[client] as OpGenerator;
    while (!shouldStop()) {
      issued++;
      const outcome = await issueOp(sink, connection, generator, client);
      // A dead server fails fast: back off instead of spinning.
      if (outcome.connectionError === true) await sleep(BACKOFF_MS);
    }
  };
  const slots: Promise<void>[] = [];
  for (let client = 0; client < connections.length; client++) for (let p = 0; p < pipeline; p++) slots.push(slot(client));
  await Promise.all(slots);
  return { issued, elapsedMs: sink.nowMs() - startMs, missed: 0 };
}

/** Runs an open loop at `rate` ops/s over the connections (round robin), at most maxInFlight outstanding. */
export async function runOpenLoop(options: { connections: readonly WorkloadConnection[]; generators: readonly OpGenerator[]; rate: number; maxInFlight: number; stop: StopCondition; sink: OpSink }): Promise<ExecutorResult> {
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
    const promise: Promise<unknown> = issueOp(sink, connections[client] as WorkloadConnection, generators[client] as OpGenerator, client, intended).finally(() => {
      inFlight--;
      pending.delete(promise);
    });
    pending.add(promise);
    // Yield to I/O now and then so replies are processed while we catch up on a backlog.
    if (issued % 256 === 0) await sleep(0);
  }
  await Promise.all(pending);
  const totalPlanned = stop.durationMs === undefined ? issued : Math.min(maxOps, Math.ceil((stop.durationMs * rate) / 1000));
  return { issued, elapsedMs: sink.nowMs() - startMs, missed: Math.max(0, totalPlanned - issued) };
}
