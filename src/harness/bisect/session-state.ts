// The state a bisect session hands to its `git bisect run` steps (state.json in the session folder): where the
// checkouts and end builds are, what to build and measure, and the statistics options. Validated on read.
import { readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

const stateSchema = z.object({
  version: z.literal(1),
  repo: z.string(),
  good: z.string(),
  bad: z.string(),
  build: z.string(),
  engineBin: z.string(),
  buildTimeoutMs: z.number(),
  scenarioFile: z.string(),
  quick: z.boolean(),
  metric: z.string(),
  minEffect: z.number(),
  alpha: z.number(),
  minRepetitions: z.number().int().min(2),
  maxRepetitions: z.number().int().min(2),
  outDir: z.string(),
  stepsFile: z.string(),
  checkouts: z.object({ good: z.string(), bad: z.string(), bisect: z.string() }),
  engines: z.object({ good: z.string(), bad: z.string() }),
});

/** What a step needs to know. */
export type SessionState = z.infer<typeof stateSchema>;

/** Writes the state file. */
export function writeSessionState(file: string, state: SessionState): void {
  writeFileSync(file, JSON.stringify(state, null, 2) + "\n");
}

/** Reads and validates the state file. */
export function readSessionState(file: string): SessionState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new HarnessError(`cannot read the bisect state ${file}: ${(error as Error).message}`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "--step is internal: `persistlab bisect` passes it to `git bisect run` itself",
    });
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success)
    throw new HarnessError(`${file} is not a bisect state file: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      exitCode: EXIT_CODES.USAGE,
    });
  return parsed.data;
}
