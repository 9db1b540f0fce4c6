// Builds the Engine for a kind from CLI options: bundled (persistlab-server), redis-server (binary by path), attach.
import { execa } from "execa";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { HarnessError } from "../shared/errors.ts";
import { getBundledEngineCommand } from "../shared/runtime.ts";
import { createAttachEngine } from "./attach-engine.ts";
import { ProcessEngineInstance, type LaunchCommand } from "./process-engine.ts";
import type { Engine, EngineDescription, EngineKind } from "./types.ts";

/** Options that select an engine. */
export interface EngineOptions {
  kind: EngineKind;
  /** Binary for redis-server (default "redis-server" on PATH). */
  bin?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

// Runs `<binary> --version` and extracts v=X.Y.Z.
async function readVersion(launch: LaunchCommand): Promise<string> {
  const result = await execa(launch.file, [...launch.args, "--version"], { reject: false, timeout: 15_000 });
  if (result.failed && result.exitCode !== 0) {
    throw new HarnessError(
      `Cannot run the engine binary ${[launch.file, ...launch.args].join(" ")}: ${result.shortMessage ?? result.message}`,
      {
        exitCode: EXIT_CODES.ENGINE_FAILED,
        hint: "Check --engine-bin (a redis-server-compatible binary), or install redis-server (apt-get install redis-server).",
      },
    );
  }
  return /v=([\w.-]+)/.exec(String(result.stdout))?.[1] ?? "unknown";
}

/** A process engine for a launch command (also used by bisect for engines built at each commit). */
export function createProcessEngine(kind: EngineKind, launch: LaunchCommand, name: string, binary: string): Engine {
  let description: Promise<EngineDescription> | undefined;
  return {
    kind,
    describe() {
      description ??= readVersion(launch).then((version) => ({ kind, name, binary, version }));
      return description;
    },
    create: ({ config, label }) => ProcessEngineInstance.create({ kind, launch, config, label }),
  };
}

/** Resolves engine options into an Engine; throws HarnessError with a fix for bad combinations. */
export function createEngine(options: EngineOptions): Engine {
  if (options.kind === "attach") {
    if (options.port === undefined)
      throw new HarnessError("--engine attach needs --port (and optionally --host)", {
        exitCode: EXIT_CODES.USAGE,
        hint: "e.g. --engine attach --host 127.0.0.1 --port 6380",
      });
    return createAttachEngine({ host: options.host ?? "127.0.0.1", port: options.port });
  }
  if (options.kind === "bundled") {
    const command = getBundledEngineCommand();
    if (!existsSync(command.script))
      throw new HarnessError(`The bundled engine is not built: ${command.script} is missing`, {
        exitCode: EXIT_CODES.ENGINE_FAILED,
        hint: "Run `npm run build` first, or use --engine redis-server.",
      });
    return createProcessEngine(
      "bundled",
      { file: command.file, args: command.args },
      "persistlab-server",
      command.script,
    );
  }
  const bin = options.bin ?? "redis-server";
  return createProcessEngine("redis-server", { file: bin, args: [] }, basename(bin), bin);
}
