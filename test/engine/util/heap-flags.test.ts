// The engine's V8 heap flags: the check that finds them missing, every launcher passing them, and the
// warning a real engine process logs when started without them.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENGINE_NODE_FLAGS, findMissingEngineFlags } from "../../../src/engine/server/heap-flags.ts";
import { findFreePort } from "../../../src/harness/engines/ports.ts";
import { getBundledEngineCommand } from "../../../src/harness/shared/runtime.ts";
import { ENGINE_BIN, launchServer, makeTempDir } from "../../helpers/servers.ts";

const WARNING = /Started without --max-semi-space-size/;

// Starts the engine with `nodeFlags` before the script, waits until it is ready, stops it by PID; returns its log.
async function startAndStop(nodeFlags: readonly string[] | undefined): Promise<string> {
  const port = await findFreePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    makeTempDir("heap-flags"),
    "--save",
    "",
    "--appendonly",
    "no",
  ];
  let output = "";
  const child =
    nodeFlags === undefined
      ? launchServer("engine", args).child
      : spawn(process.execPath, [...nodeFlags, ENGINE_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let waited = 0; waited < 15_000 && !output.includes("Ready to accept connections"); waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  process.kill(child.pid as number, "SIGKILL");
  await exited;
  expect(output).toContain("Ready to accept connections");
  return output;
}

describe("engine heap flags", () => {
  it("finds a flag missing unless the command line or NODE_OPTIONS carries it (any value, either spelling)", () => {
    expect(findMissingEngineFlags([], undefined)).toEqual([...ENGINE_NODE_FLAGS]);
    expect(findMissingEngineFlags(["--trace-gc"], "--max-old-space-size=100")).toEqual([...ENGINE_NODE_FLAGS]);
    expect(findMissingEngineFlags(["--max-semi-space-size=8"], undefined)).toEqual([]);
    expect(findMissingEngineFlags([], "--inspect --max_semi_space_size=4")).toEqual([]);
  });

  it("is passed by every launcher: the binary's shebang and the harness's bundled-engine command", () => {
    const shebang = readFileSync(ENGINE_BIN, "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${ENGINE_NODE_FLAGS.join(" ")}`);
    const command = getBundledEngineCommand();
    expect(command.args.slice(0, -1)).toEqual([...ENGINE_NODE_FLAGS]);
  });

  it("makes a real engine started without them log a warning that names the flag and the fix", async () => {
    const bare = await startAndStop([]);
    expect(bare).toMatch(WARNING);
    expect(bare).toContain(`node ${ENGINE_NODE_FLAGS.join(" ")} dist/bin/persistlab-server.js`);
    expect(await startAndStop(undefined)).not.toMatch(WARNING);
  }, 40_000);
});
