// Reads back what a crash left, without disturbing the run: a scratch instance of the same engine and
// directives starts on a copy of the crash state (repairing it as an operator would when it refuses), the whole
// data set is read, the instance is killed and removed. The live engine meanwhile restarts on the original
// files and serves the load, whose writes therefore never mix into what is checked.
import type { Engine } from "../engines/types.ts";
import { toError } from "../shared/errors.ts";
import { copyDataDir } from "./crash-state.ts";
import { readDataSet } from "./read-back.ts";
import type { RepairTools } from "./repair-tools.ts";
import { startWithRepair, type StartOutcome } from "./start-with-repair.ts";
import type { StrategyTraits } from "./strategy-traits.ts";

/** What the verification found. */
export interface Verification {
  start: StartOutcome;
  /** Undefined when the engine could not start (or the read failed: see readError). */
  readBack: Map<string, string> | undefined;
  readError?: string;
  /** Time to read the data set back (ms). */
  readMs: number;
}

/** Options of verifyCrashState. */
export interface VerifyOptions {
  engineFactory: Engine;
  config: Readonly<Record<string, string>>;
  label: string;
  /** The crash state to start from (copied, never modified). */
  crashStateDir: string;
  traits: StrategyTraits;
  tools: RepairTools;
  repair: "auto" | "never";
  backup?: string | undefined;
  timeoutMs?: number;
}

/** Starts a scratch instance on a copy of the crash state and reads everything back. */
export async function verifyCrashState(options: VerifyOptions): Promise<Verification> {
  const instance = await options.engineFactory.create({ config: options.config, label: options.label });
  try {
    const dataDir = instance.dataDir;
    if (dataDir === undefined) throw new Error("the scratch engine has no data directory");
    await copyDataDir(options.crashStateDir, dataDir);
    const start = await startWithRepair({
      start: () => instance.start({ timeoutMs: options.timeoutMs ?? 120_000 }),
      logTail: () => instance.logTail(),
      dataDir,
      traits: options.traits,
      tools: options.tools,
      repair: options.repair,
      backup: options.backup,
      wipeAsLastResort: false,
    });
    if (!start.running) return { start, readBack: undefined, readMs: 0 };
    const began = performance.now();
    try {
      const readBack = await readDataSet(instance.endpoint);
      return { start, readBack, readMs: performance.now() - began };
    } catch (error) {
      return { start, readBack: undefined, readError: toError(error).message, readMs: performance.now() - began };
    }
  } finally {
    await instance.kill("SIGKILL").catch(() => undefined);
    await instance.dispose().catch(() => undefined);
  }
}
