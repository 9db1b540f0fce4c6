// Entry for the engine's file tools (check-rdb, check-aof), runnable from the server binary and
// from the persistlab CLI. The persistence modules register the tools they implement.

/** A file tool: takes its arguments, prints its findings, returns the exit code. */
export type EngineTool = (args: readonly string[]) => Promise<number>;

/** Tools by name; persistence modules add `check-rdb` and `check-aof`. */
export const ENGINE_TOOLS = new Map<string, () => Promise<EngineTool>>();

/** Runs a tool by name; exit code 2 when the tool does not exist. */
export async function runEngineTool(name: string, args: readonly string[]): Promise<number> {
  const load = ENGINE_TOOLS.get(name);
  if (load === undefined) {
    process.stderr.write(`Unknown tool '${name}'. Available: ${[...ENGINE_TOOLS.keys()].join(", ") || "none yet"}\n`);
    return 2;
  }
  return (await load())(args);
}
