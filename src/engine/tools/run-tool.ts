// Entry for the engine's file tools (check-rdb, check-aof), runnable from the server binary. The
// table names each tool and loads its module only when it runs.

/** A file tool: takes its arguments, prints its findings, returns the exit code. */
export type EngineTool = (args: readonly string[]) => Promise<number>;

/** Tools by name. */
const ENGINE_TOOLS: ReadonlyMap<string, () => Promise<EngineTool>> = new Map([
  ["check-aof", async () => (await import("./check-aof.ts")).runCheckAof],
  ["check-rdb", async () => (await import("./check-rdb.ts")).checkRdbTool],
]);

/** Runs a tool by name; exit code 2 when the tool does not exist. */
export async function runEngineTool(name: string, args: readonly string[]): Promise<number> {
  const load = ENGINE_TOOLS.get(name);
  if (load === undefined) {
    process.stderr.write(`Unknown tool '${name}'. Available: ${[...ENGINE_TOOLS.keys()].join(", ")}\n`);
    return 2;
  }
  return (await load())(args);
}
