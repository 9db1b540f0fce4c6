// Public surface of the power-loss fault: prepare it (the shim it loads lives in src/harness/shim/), apply a
// cut, and the durability model the cut replays.
export {
  applyPowerCut,
  type PowerCutOptions,
  type PowerCutReport,
  type PowerCutFile,
  type NamespaceUndo,
  type TailMode,
} from "./apply-power-cut.ts";
export {
  buildDurabilityModel,
  type DurabilityModel,
  type DurabilityModelOptions,
  type NamespaceModel,
} from "./durability-model.ts";
export { preparePowerLossFault, type PowerLossFault } from "./fault.ts";
