// FsyncSource: where a run's fsync latency figures come from. The engine-info source reads the bundled
// engine's INFO persistence fields (persistlab_fsync_count/_p50_us/_p99_us/_max_us). External engines get
// "not measured" until another source (e.g. an LD_PRELOAD fsync-tracing shim) registers itself with
// registerFsyncSource(); the first source whose supports() is true wins.
import type { EngineInstance } from "../engines/types.ts";
import { readInfo } from "../engines/raw-client.ts";
import type { FsyncMeasured, NotMeasured } from "../results/schema.ts";

/** Per-run fsync collection: begin before the recorded load, end after it. */
export interface FsyncSession {
  end(): Promise<FsyncMeasured | NotMeasured>;
}

/** A provider of fsync timings. */
export interface FsyncSource {
  readonly name: string;
  /** Whether this source can measure the given engine instance. */
  supports(engine: EngineInstance): boolean;
  /** Extra environment variables for the engine process (e.g. LD_PRELOAD); applied before start. */
  environment?(engine: EngineInstance): Record<string, string>;
  begin(engine: EngineInstance): Promise<FsyncSession>;
}

/** Reads the bundled engine's fsync fields; cumulative since engine start (the run's own process). */
export const ENGINE_INFO_FSYNC_SOURCE: FsyncSource = {
  name: "engine-info",
  supports: (engine) => engine.kind === "bundled",
  async begin(engine) {
    return {
      async end() {
        try {
          const info = await readInfo(engine.endpoint, "persistence");
          const count = info["persistlab_fsync_count"];
          if (count === undefined)
            return {
              measured: false,
              reason: "the engine's INFO persistence has no persistlab_fsync_* fields (older engine build)",
            };
          return {
            measured: true,
            source: "engine-info",
            count: Number(count),
            p50Us: Number(info["persistlab_fsync_p50_us"] ?? 0),
            p99Us: Number(info["persistlab_fsync_p99_us"] ?? 0),
            maxUs: Number(info["persistlab_fsync_max_us"] ?? 0),
          };
        } catch (error) {
          return { measured: false, reason: `INFO persistence failed: ${(error as Error).message}` };
        }
      },
    };
  },
};

const SOURCES: FsyncSource[] = [ENGINE_INFO_FSYNC_SOURCE];

/** Registers an extra source (tried before the built-in ones). */
export function registerFsyncSource(source: FsyncSource): void {
  SOURCES.unshift(source);
}

/** Picks the source for an engine, or undefined. */
export function selectFsyncSource(engine: EngineInstance): FsyncSource | undefined {
  return SOURCES.find((source) => source.supports(engine));
}

let tracingUnavailable = "no fsync tracing source (LD_PRELOAD shim) was enabled";

/** Records why external engines cannot be traced (shown as the "not measured" reason). */
export function setFsyncTracingUnavailable(reason: string): void {
  tracingUnavailable = reason;
}

/** The reason reported when no source fits. */
export function describeNoFsyncSource(engine: EngineInstance): NotMeasured {
  if (engine.kind === "attach")
    return { measured: false, reason: "attach mode: the engine process is not ours to trace" };
  return { measured: false, reason: `${engine.kind} does not report fsync latency, and ${tracingUnavailable}` };
}
