// The nemesis: registers the `nemesis` scenario key and the run plugin (import this module once, as the CLI
// does), and exports what tests and other modules use. Power loss lives in ./power-loss/.
import { registerRunPlugin } from "../run/plugin.ts";
import { registerScenarioExtension } from "../scenario/extensions.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { nemesisSchema, type ParsedNemesis } from "./config.ts";
import { createNemesisPlugin, NEMESIS_KEY } from "./plugin.ts";

registerScenarioExtension(NEMESIS_KEY, nemesisSchema);
registerRunPlugin(createNemesisPlugin);

/** --keep-crash-states: keep a copy of the data directory at every kill under the output folder. */
export function setKeepCrashStates(scenario: ResolvedScenario): void {
  const nemesis = scenario.extensions[NEMESIS_KEY] as ParsedNemesis | undefined;
  if (nemesis !== undefined) nemesis.keepCrashStates = true;
}

export { createFaultSchedule, countFaultKinds, type PlannedFault } from "./schedule.ts";
export { resolveNemesis, nemesisSchema, FAULT_KINDS, CORRUPTION_KINDS, type ResolvedNemesis, type FaultKind, type CorruptionKind } from "./config.ts";
export { createNemesisPlugin, findChaosPhase, NEMESIS_KEY } from "./plugin.ts";
