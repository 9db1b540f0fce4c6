// Engine lifecycle calls that also record time-stamped events (kill, stop, restart, ready) for a run.
import type { EngineInstance, EngineStartOptions, ExitInfo } from "../engines/types.ts";
import type { RunEvent } from "../results/schema.ts";

/** Wraps an instance with event recording. */
export class EngineControl {
  readonly engine: EngineInstance;
  readonly events: RunEvent[] = [];
  readonly #nowMs: () => number;

  constructor(engine: EngineInstance, nowMs: () => number) {
    this.engine = engine;
    this.#nowMs = nowMs;
  }

  /** Appends an event at the current time. */
  addEvent(type: RunEvent["type"], detail?: Record<string, unknown>): void {
    this.events.push(
      detail === undefined
        ? { tMs: Math.round(this.#nowMs()), type }
        : { tMs: Math.round(this.#nowMs()), type, detail },
    );
  }

  async kill(signal: NodeJS.Signals): Promise<ExitInfo> {
    this.addEvent("kill", { signal, pid: this.engine.pid() });
    const exit = await this.engine.kill(signal);
    this.addEvent("exit", { ...exit });
    return exit;
  }

  async stop(): Promise<ExitInfo> {
    this.addEvent("stop", { pid: this.engine.pid() });
    const exit = await this.engine.stop();
    this.addEvent("exit", { ...exit });
    return exit;
  }

  async start(options: EngineStartOptions = {}): Promise<{ readyMs: number }> {
    this.addEvent("restart");
    const result = await this.engine.start(options);
    this.addEvent("ready", { readyMs: Math.round(result.readyMs * 10) / 10, pid: this.engine.pid() });
    return result;
  }

  async restart(
    options: { signal?: NodeJS.Signals | "graceful"; timeoutMs?: number } = {},
  ): Promise<{ readyMs: number; exit: ExitInfo }> {
    const signal = options.signal ?? "SIGKILL";
    const exit = signal === "graceful" ? await this.stop() : await this.kill(signal);
    const ready = await this.start(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    return { ...ready, exit };
  }
}
