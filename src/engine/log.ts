// Logging in Redis's line shape: `<pid>:M 24 Nov 2026 12:00:00.123 * message`, to stdout or logfile.
import { appendFileSync } from "node:fs";
import type { LogLevel } from "./config/settings.ts";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_MARK: Record<Exclude<LogLevel, "nothing">, string> = {
  debug: ".",
  verbose: "-",
  notice: "*",
  warning: "#",
};
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A leveled logger. */
export interface Logger {
  debug(message: string): void;
  verbose(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Writes text as is (no timestamp prefix) at notice level, like Redis's serverLogRaw. */
  raw(text: string): void;
  setLevel(level: LogLevel): void;
}

/** Creates a logger writing to `logfile` (empty = stdout). */
export function createLogger(options: { level: LogLevel; logfile: string; role?: string }): Logger {
  let threshold = LEVEL_RANK[options.level];
  const role = options.role ?? "M";
  const write = (level: Exclude<LogLevel, "nothing">, message: string): void => {
    if (LEVEL_RANK[level] < threshold) return;
    const line = `${process.pid}:${role} ${formatTimestamp(new Date())} ${LEVEL_MARK[level]} ${message}\n`;
    if (options.logfile === "") process.stdout.write(line);
    else appendFileSync(options.logfile, line);
  };
  return {
    debug: (message) => write("debug", message),
    verbose: (message) => write("verbose", message),
    notice: (message) => write("notice", message),
    warning: (message) => write("warning", message),
    raw: (text) => {
      if (LEVEL_RANK.notice < threshold) return;
      if (options.logfile === "") process.stdout.write(text);
      else appendFileSync(options.logfile, text);
    },
    setLevel: (level) => {
      threshold = LEVEL_RANK[level];
    },
  };
}

// "24 Nov 2026 12:00:00.123"
function formatTimestamp(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  return `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
