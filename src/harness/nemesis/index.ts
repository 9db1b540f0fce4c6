// The nemesis as a harness extension: the `nemesis` scenario key and the run plugin that acts on it
// (api/extensions.ts wires it in), and what tests and other modules use. Power loss lives in ./power-loss/.
import type { HarnessExtension } from "../run/plugin.ts";
import { nemesisSchema } from "./config.ts";
import { createNemesisPlugin, NEMESIS_KEY } from "./plugin.ts";

/** The `nemesis` key: seeded faults, restarts and the durability check of every crash round. */
export const NEMESIS_EXTENSION: HarnessExtension = {
  key: NEMESIS_KEY,
  schema: nemesisSchema,
  createPlugin: createNemesisPlugin,
};

export { createFaultSchedule, countFaultKinds, type PlannedFault } from "./schedule.ts";
export {
  resolveNemesis,
  nemesisSchema,
  FAULT_KINDS,
  CORRUPTION_KINDS,
  type ResolvedNemesis,
  type FaultKind,
  type CorruptionKind,
} from "./config.ts";
export { createNemesisPlugin, findChaosPhase, NEMESIS_KEY } from "./plugin.ts";
