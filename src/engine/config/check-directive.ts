// One directive judged the way persistlab-server would read it from its config file, without starting a
// server: applies, accepted without effect, invalid (the engine's own reason) or unknown. Used by the
// harness's `validate` so that scenario checks and the engine share one directive table.
import { ACCEPTED_DIRECTIVES, DIRECTIVES_BY_NAME } from "./directives.ts";
import { applyConfigText, ConfigError } from "./load-config.ts";
import { createDefaultSettings } from "./settings.ts";

/** How persistlab-server treats one directive line. */
export type DirectiveVerdict =
  | { readonly kind: "applies" }
  | { readonly kind: "inert" }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "unknown" };

/** Every directive name (and alias) the engine accepts, effective or not, lowercase. */
export function listKnownDirectiveNames(): string[] {
  return [...DIRECTIVES_BY_NAME.keys(), ...Object.keys(ACCEPTED_DIRECTIVES)];
}

/** Judges `name value` as one config-file line (the value as written after the name: words split by spaces). */
export function checkDirective(name: string, value: string): DirectiveVerdict {
  const lower = name.toLowerCase();
  const effective = DIRECTIVES_BY_NAME.has(lower);
  if (!effective && !Object.hasOwn(ACCEPTED_DIRECTIVES, lower)) return { kind: "unknown" };
  try {
    applyConfigText(createDefaultSettings(), new Map(Object.entries(ACCEPTED_DIRECTIVES)), `${lower} ${value === "" ? '""' : value}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.message.trim().split("\n");
    return { kind: "invalid", reason: lines[lines.length - 1] ?? error.message };
  }
  return effective ? { kind: "applies" } : { kind: "inert" };
}
