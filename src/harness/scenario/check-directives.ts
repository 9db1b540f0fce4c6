// Checks each strategy's redis.conf directives with the bundled engine's own directive table
// (src/engine/config): names, value types and allowed values. Directives only another engine knows
// pass with a warning when the run targets redis-server or attach; for the bundled engine they are errors.
import { checkDirective, listKnownDirectiveNames } from "../../engine/config/check-directive.ts";
import type { EngineKind } from "../engines/types.ts";
import type { ScenarioIssue } from "../shared/errors.ts";
import type { ResolvedScenario } from "./resolved.ts";
import { suggestClosest } from "./strict.ts";

/** Directives the harness sets for every run itself (a strategy must not move the server's port or files). */
export const HARNESS_OWNED_DIRECTIVES = [
  "port",
  "bind",
  "dir",
  "daemonize",
  "logfile",
  "pidfile",
  "unixsocket",
] as const;

/** What the directive check found: errors (the scenario is invalid) and warnings (it runs, but say so). */
export interface DirectiveFindings {
  issues: ScenarioIssue[];
  warnings: string[];
}

/** Checks every strategy's directives for a run on `engine` (default: the bundled engine). */
export function checkStrategyDirectives(scenario: ResolvedScenario, engine: EngineKind = "bundled"): DirectiveFindings {
  const findings: DirectiveFindings = { issues: [], warnings: [] };
  const known = listKnownDirectiveNames();
  scenario.strategies.forEach((strategy, index) => {
    for (const [name, value] of Object.entries(strategy.config)) {
      const path = `strategies[${index}].config.${name}`;
      if ((HARNESS_OWNED_DIRECTIVES as readonly string[]).includes(name)) {
        findings.issues.push({
          path,
          message: `\`${name}\` is set by persistlab for each run (its own port and data directory). Fix: remove it`,
        });
        continue;
      }
      const verdict = checkDirective(name, value);
      if (verdict.kind === "invalid") {
        findings.issues.push({
          path,
          message: `${verdict.reason} (got ${JSON.stringify(value)}). Fix: use a value redis.conf accepts for \`${name}\``,
        });
      } else if (verdict.kind === "unknown") {
        const close = suggestClosest(name, known);
        const guess = close === undefined ? "" : ` (did you mean \`${close}\`?)`;
        if (engine === "bundled") {
          findings.issues.push({
            path,
            message: `\`${name}\` is not a directive the bundled engine (persistlab-server) knows${guess}. Fix: correct it, or run with --engine redis-server if that server knows it`,
          });
        } else {
          findings.warnings.push(
            `${path}: \`${name}\` is not a directive the bundled engine knows${guess}; it is passed to ${engine === "attach" ? "nothing (attach never changes the server's configuration)" : "redis-server unchecked"}`,
          );
        }
      } else if (verdict.kind === "inert" && engine === "bundled") {
        findings.warnings.push(`${path}: \`${name}\` is accepted by the bundled engine but has no effect there`);
      }
    }
  });
  return findings;
}
