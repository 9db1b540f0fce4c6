// One directive judged the way persistlab-server reads it from its config file, without starting a
// server: applies, accepted without effect, invalid (the engine's own reason) or unknown. The harness's
// `validate` uses it so that scenario checks and the engine share one directive table (directives.ts).
import { allDirectiveNames, findDirective, IGNORED_DEPRECATED_DIRECTIVES, isEffective } from "./directives.ts";
import { applyConfigText, ConfigError } from "./load-config.ts";
import { createDefaultSettings } from "./settings.ts";

/** How persistlab-server treats one directive line. */
export type DirectiveVerdict =
  | { readonly kind: "applies" }
  | { readonly kind: "inert" }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "unknown" };

/** Every directive name (and alias) the engine accepts, effective or not. */
export function listKnownDirectiveNames(): string[] {
  return [...allDirectiveNames().map((entry) => entry.name), ...Object.keys(IGNORED_DEPRECATED_DIRECTIVES)];
}

/** Judges `name value` as one config-file line (the value as written after the name: words split by spaces). */
export function checkDirective(name: string, value: string): DirectiveVerdict {
  const spec = findDirective(name);
  const deprecated = Object.hasOwn(IGNORED_DEPRECATED_DIRECTIVES, name.toLowerCase());
  if (spec === undefined && !deprecated) return { kind: "unknown" };
  try {
    applyConfigText(createDefaultSettings(), new Map(), `${name.toLowerCase()} ${value === "" ? '""' : value}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.message.trim().split("\n");
    return { kind: "invalid", reason: lines[lines.length - 1] ?? error.message };
  }
  if (spec === undefined) return { kind: "inert" };
  return isEffective(spec) || spec.area === "honoured" ? { kind: "applies" } : { kind: "inert" };
}
