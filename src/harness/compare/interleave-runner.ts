// The slot runner of interleaved comparisons backed by the harness's runScenario: each side gets its engine
// ("bundled" or a redis-server-compatible binary path); the disk floor is probed once per side.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createEngine } from "../engines/create-engine.ts";
import type { Engine } from "../engines/types.ts";
import { HARNESS_EXTENSIONS } from "../api/extensions.ts";
import { runScenario } from "../run/run-scenario.ts";
import type { Side, SlotRunner } from "./interleave.ts";

/** Builds the engine for a --a-bin / --b-bin value: "bundled" or a binary path/name. */
export function createSideEngine(bin: string): Engine {
  return bin === "bundled" ? createEngine({ kind: "bundled" }) : createEngine({ kind: "redis-server", bin });
}

/** A SlotRunner that runs each slot with runScenario into outDir/<side>/<strategy>-<repetition>/. */
export function createHarnessSlotRunner(options: {
  bins: Record<Side, string>;
  outDir: string;
  signal: AbortSignal;
}): SlotRunner {
  const engines: Record<Side, Engine> = { A: createSideEngine(options.bins.A), B: createSideEngine(options.bins.B) };
  const probed = new Set<Side>();
  return async (slot, scenario) => {
    const skipDiskProbe = probed.has(slot.side);
    probed.add(slot.side);
    const outDir = join(options.outDir, slot.side, `${slot.strategy}-${slot.repetition}`);
    mkdirSync(outDir, { recursive: true });
    return runScenario({
      scenario,
      engine: engines[slot.side],
      signal: options.signal,
      skipDiskProbe,
      outDir,
      extensions: HARNESS_EXTENSIONS,
    });
  };
}
