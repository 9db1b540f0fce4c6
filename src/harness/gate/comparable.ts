// Whether two results files may be judged against each other: same scenario (gate and compare), same engine (gate). Pure.
import type { Results } from "../results/schema.ts";

/** Why baseline and candidate cannot be compared, or undefined when they can. */
export interface Mismatch {
  /** "scenario" or "engine". */
  field: "scenario" | "engine";
  /** One line naming both sides. */
  message: string;
}

// "bundled persistlab-server 0.1.0" — what an engine is, for messages.
function describeEngine(results: Results): string {
  const engine = results.environment.engine;
  return `${engine.kind} (${engine.name}${engine.version === "unknown" ? "" : ` ${engine.version}`})`;
}

/** The scenario mismatch between A and B (by scenario name), if any. */
export function findScenarioMismatch(a: Results, b: Results, labels: { a: string; b: string }): Mismatch | undefined {
  if (a.scenario.name === b.scenario.name) return undefined;
  return {
    field: "scenario",
    message: `${labels.a} is of scenario "${a.scenario.name}" but ${labels.b} is of scenario "${b.scenario.name}"`,
  };
}

/** The engine-kind mismatch between A and B (bundled, redis-server, attach), if any. */
export function findEngineMismatch(a: Results, b: Results, labels: { a: string; b: string }): Mismatch | undefined {
  if (a.environment.engine.kind === b.environment.engine.kind) return undefined;
  return {
    field: "engine",
    message: `${labels.a} ran on ${describeEngine(a)} but ${labels.b} ran on ${describeEngine(b)}`,
  };
}
