// The workload of one run: its connections and per-client op generators, and how a phase's load is executed.
import type { Endpoint } from "../engines/types.ts";
import type { ResolvedLoad, ResolvedWorkload } from "../scenario/resolved.ts";
import type { Rng } from "../shared/rng.ts";
import { AvailabilityTracker } from "../workload/availability.ts";
import { openConnections, type WorkloadConnection } from "../workload/connection.ts";
import { runClosedLoop, runOpenLoop, type ExecutorResult, type StopCondition } from "../workload/executors.ts";
import { OpGenerator } from "../workload/ops.ts";
import { openRespConnections } from "../workload/resp-connection.ts";
import type { OpSink } from "../workload/sink.ts";

/** Connections + generators for a run, opened once and shared by its phases. */
export class WorkloadDriver {
  readonly sink: OpSink;
  readonly availability: AvailabilityTracker;
  #connections: WorkloadConnection[] = [];
  #generators: OpGenerator[] = [];

  constructor(sink: OpSink) {
    this.sink = sink;
    this.availability = new AvailabilityTracker(() => sink.nowMs());
  }

  /** Opens `clients` connections and seeds one generator per client from the run RNG. */
  async open(options: { endpoint: Endpoint; clients: number; workload: ResolvedWorkload; rng: Rng }): Promise<void> {
    const connectionOptions = {
      count: options.clients,
      opTimeoutMs: options.workload.opTimeoutMs,
      onState: (state: "up" | "down", index: number) => this.availability.onState(state, index),
    };
    this.#connections =
      options.workload.client === "ioredis"
        ? await openConnections(options.endpoint, connectionOptions)
        : await openRespConnections(options.endpoint, connectionOptions);
    this.#generators = this.#connections.map(
      (_, index) => new OpGenerator(options.workload, options.rng.fork(`client-${index}`), index),
    );
  }

  /** Runs one phase's load on the first `load.clients` connections until the stop condition. */
  runLoad(load: ResolvedLoad, stop: StopCondition): Promise<ExecutorResult> {
    const connections = this.#connections.slice(0, load.clients);
    const generators = this.#generators.slice(0, load.clients);
    this.sink.recording = load.record;
    if (load.executor === "open") {
      return runOpenLoop({
        connections,
        generators,
        rate: load.rate ?? 1000,
        maxInFlight: load.clients * load.pipeline,
        stop,
        sink: this.sink,
      });
    }
    return runClosedLoop({ connections, generators, pipeline: load.pipeline, stop, sink: this.sink });
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all(this.#connections.map((c) => c.close()));
    this.#connections = [];
  }
}
