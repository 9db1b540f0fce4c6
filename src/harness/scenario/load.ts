// Reads a scenario file, validates it strictly (every issue with path, value and fix) and resolves it.
import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { ScenarioError, type ScenarioIssue } from "../shared/errors.ts";
import type { ScenarioExtension } from "./extensions.ts";
import type { ResolvedScenario } from "./resolved.ts";
import { resolveScenario } from "./resolve.ts";
import { OP_NAMES, scenarioFields } from "./schema.ts";
import { strictObject, suggestClosest } from "./strict.ts";

// Formats a zod path as `phases[0].duration`.
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path)
    out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
  return out;
}

// Shows a received value briefly.
function showValue(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

// Turns one zod issue into a ScenarioIssue with the value received and a fix where possible.
function toScenarioIssue(issue: z.core.$ZodIssue & { input?: unknown }): ScenarioIssue {
  const path = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    if (issue.message.includes("Fix:")) return { path, message: issue.message };
    const allowed = path === "workload.mix" ? OP_NAMES : [];
    const keys = issue.keys.map((key) => {
      const close = suggestClosest(key, allowed);
      return close === undefined ? `\`${key}\`` : `\`${key}\` (did you mean \`${close}\`?)`;
    });
    return {
      path,
      message: `Unknown key ${keys.join(", ")}. Fix: remove it${allowed.length > 0 ? `; valid keys here are ${allowed.join(" ")}` : ""}`,
    };
  }
  let message = issue.message;
  if (issue.code === "invalid_value" && typeof issue.input === "string") {
    const close = suggestClosest(issue.input, issue.values.map(String));
    if (close !== undefined) message += `. Fix: did you mean ${JSON.stringify(close)}?`;
  }
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // Report the branch that got furthest, which is usually what the author meant.
    const inner = issue.errors.flat().find((e) => e.code !== "invalid_type") ?? issue.errors.flat()[0];
    if (inner !== undefined) message = inner.message;
  }
  return { path, message: `${message} (got ${showValue(issue.input)})` };
}

/** Options of parseScenario and loadScenarioFile. */
export interface ParseScenarioOptions {
  file?: string;
  /** Scale durations and data sizes down (`run --quick`). */
  quick?: boolean;
  /** Extra top-level keys to accept (default none: a `nemesis` key needs api/extensions.ts's list). */
  extensions?: readonly ScenarioExtension[];
}

/** Builds the full scenario schema: the core keys plus the given extension keys. */
export function createScenarioSchema(extensions: readonly ScenarioExtension[] = []) {
  const shape: Record<string, z.ZodType> = { ...scenarioFields };
  for (const { key, schema } of extensions) shape[key] = schema.optional();
  return strictObject(shape);
}

/** Validates and resolves an already parsed JSON value; throws ScenarioError listing every issue. */
export function parseScenario(raw: unknown, options: ParseScenarioOptions = {}): ResolvedScenario {
  const result = createScenarioSchema(options.extensions).safeParse(raw, { reportInput: true });
  if (!result.success) throw new ScenarioError(result.error.issues.map(toScenarioIssue), options.file);
  const issues: ScenarioIssue[] = [];
  const resolved = resolveScenario(result.data as never, issues, options.quick ?? false);
  if (issues.length > 0 || resolved === undefined) throw new ScenarioError(issues, options.file);
  if (options.file !== undefined) resolved.baseDir = dirname(resolvePath(options.file));
  return resolved;
}

/** Reads, validates and resolves a scenario file (JSON). */
export function loadScenarioFile(file: string, options: Omit<ParseScenarioOptions, "file"> = {}): ResolvedScenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ScenarioError(
      [
        {
          path: "",
          message: `Cannot read the file: ${(error as Error).message}. Fix: check the path (\`persistlab list\` shows ready-made scenarios)`,
        },
      ],
      file,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError([{ path: "", message: `Not valid JSON: ${(error as Error).message}` }], file);
  }
  return parseScenario(raw, { file, ...options });
}
