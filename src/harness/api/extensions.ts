// The harness's scenario extensions, wired in one place: the nemesis (the `nemesis` key and its run plugin).
// Loading a scenario, printing its JSON Schema and running it all take this list; nothing registers itself.
import { NEMESIS_EXTENSION } from "../nemesis/index.ts";
import type { HarnessExtension } from "../run/plugin.ts";

/** Every built-in extension, in the order their plugins join a run. */
export const HARNESS_EXTENSIONS: readonly HarnessExtension[] = [NEMESIS_EXTENSION];
