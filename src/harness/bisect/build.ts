// Builds one checkout with the user's --build command (run by sh in the checkout) and finds the engine binary
// it should produce. The log is kept in the bisect's output folder; a failure is reported, not thrown.
import { execa } from "execa";
import { existsSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";

/** How a build went. */
export interface BuildOutcome {
  ok: boolean;
  /** Why it failed (exit code, missing binary), empty when ok. */
  reason: string;
  seconds: number;
  /** The engine binary's absolute path in the checkout. */
  engineBin: string;
  logFile: string;
}

/** Runs `sh -c build` in checkout; ok when it exits 0 and engineBin exists afterwards. */
export async function buildCheckout(options: {
  checkout: string;
  build: string;
  engineBin: string;
  logFile: string;
  signal: AbortSignal;
  timeoutMs: number;
}): Promise<BuildOutcome> {
  const started = Date.now();
  const engineBin = isAbsolute(options.engineBin) ? options.engineBin : join(options.checkout, options.engineBin);
  const result = await execa("sh", ["-c", options.build], {
    cwd: options.checkout,
    all: true,
    reject: false,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    stdin: "ignore",
  });
  writeFileSync(options.logFile, `$ ${options.build}\n${String(result.all ?? "")}\n`);
  const seconds = (Date.now() - started) / 1000;
  if (result.failed) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs / 1000} s`
      : result.isCanceled
        ? "interrupted"
        : `exited with ${result.exitCode ?? result.signal ?? "?"}`;
    return {
      ok: false,
      reason: `build ${why} (log: ${options.logFile})`,
      seconds,
      engineBin,
      logFile: options.logFile,
    };
  }
  if (!existsSync(engineBin))
    return {
      ok: false,
      reason: `build produced no ${options.engineBin} (log: ${options.logFile})`,
      seconds,
      engineBin,
      logFile: options.logFile,
    };
  return { ok: true, reason: "", seconds, engineBin, logFile: options.logFile };
}
