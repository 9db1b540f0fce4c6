// The startup banner: with `always-show-logo yes` (or a terminal on stdout) a block naming the
// version, mode, port and " PID: <pid>" (the line Redis's test framework waits for); otherwise
// Redis's one-line "Running mode=standalone, port=N." notice.
import type { Logger } from "../log.ts";

/** Writes the banner (or the one-line notice) through `log`, at notice level like Redis. */
export function logStartupBanner(
  log: Logger,
  options: { port: number; alwaysShowLogo: boolean; logToTerminal: boolean },
): void {
  if (!options.alwaysShowLogo && !options.logToTerminal) {
    log.notice(`Running mode=standalone, port=${options.port}.`);
    return;
  }
  const lines = [
    "",
    "    persistlab-server: Redis 7.0.15 compatible (64 bit)",
    "    Running in standalone mode",
    `    Port: ${options.port}`,
    `    PID: ${process.pid}`,
    "",
  ];
  log.raw(lines.join("\n") + "\n");
}
