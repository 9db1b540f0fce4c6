// The engine's own file tools, as an operator would run them after a failed start: `redis-check-aof --fix`
// beside a redis-server binary (valkey-check-aof beside valkey-server), `persistlab-server --check-aof --fix`
// for the bundled engine. --fix asks for confirmation: "y" is written to its stdin.
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { execa } from "execa";
import type { EngineDescription } from "../engines/types.ts";
import { getBundledEngineCommand } from "../shared/runtime.ts";

/** Result of one tool run. */
export interface ToolRun {
  command: string;
  exitCode: number | undefined;
  /** stdout + stderr, last 2000 characters. */
  output: string;
}

/** How to call the AOF checker of an engine. */
export interface RepairTools {
  /** `check-aof [--fix] <file|manifest>`. */
  checkAof(path: string, options: { fix: boolean }): Promise<ToolRun>;
}

// The command prefix of the AOF checker for an engine.
function resolveCheckAofCommand(description: EngineDescription): { file: string; args: string[] } {
  if (description.kind === "bundled") {
    const command = getBundledEngineCommand();
    return { file: command.file, args: [...command.args, "--check-aof"] };
  }
  const name = basename(description.binary).replace(/server$/, "check-aof");
  const sibling = join(dirname(description.binary), name);
  const file =
    description.binary.includes("/") && existsSync(sibling)
      ? sibling
      : name === basename(description.binary)
        ? "redis-check-aof"
        : name;
  return { file, args: [] };
}

/** The repair tools of an engine. */
export function createRepairTools(description: EngineDescription): RepairTools {
  const prefix = resolveCheckAofCommand(description);
  return {
    async checkAof(path, { fix }) {
      const args = [...prefix.args, ...(fix ? ["--fix"] : []), path];
      const result = await execa(prefix.file, args, {
        reject: false,
        input: "y\n",
        all: true,
        timeout: 120_000,
        env: { NO_COLOR: "1" },
      });
      const output = String(result.all ?? "").slice(-2000);
      return {
        command: [prefix.file, ...args].join(" "),
        exitCode: result.exitCode,
        output: result.failed && output === "" ? (result.shortMessage ?? "failed") : output,
      };
    },
  };
}
