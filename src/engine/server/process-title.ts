// The process title (set-proc-title, proc-title-template): what `ps` and /proc/<pid>/cmdline show,
// "{title} {listen-addr} {server-mode}" by default, as Redis's redisSetProcTitle. Node's process.title
// can only reuse the bytes of the original command line, too short for a title naming a config file
// and a socket path; so a longer title is written the way Redis's setproctitle does: the environment
// strings are moved to the heap first (setenv of each variable), then the title overwrites the
// argument and environment area through /proc/self/mem, and the kernel shows it whole (Linux, Node).
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { basename } from "node:path";
import type { ServerContext } from "./context-types.ts";

/** Redis's {title}: the command as it was run (argv[0], or the script when argv[0] is Node itself). */
export function executedName(): string {
  const argv0 = process.argv0;
  const runtime = basename(argv0);
  if (argv0 === process.execPath || runtime === "node" || runtime === "nodejs" || runtime === "deno")
    return process.argv[1] ?? argv0;
  return argv0;
}

/** Expands proc-title-template (validated when set) with the server's values, trimmed of spaces as Redis does. */
export function expandTitle(context: ServerContext, template: string): string {
  const settings = context.settings;
  const port = context.boundPort;
  const unixsocket = context.accepted.get("unixsocket") ?? "";
  const values: Record<string, string> = {
    title: executedName(),
    "listen-addr": port !== 0 ? `${settings.bind[0] ?? "*"}:${port}` : `unixsocket:${unixsocket}`,
    "server-mode": "",
    port: String(port),
    "tls-port": context.accepted.get("tls-port") ?? "0",
    unixsocket,
    "config-file": context.configFile ?? "-",
  };
  return template.replace(/\{([a-z-]+)\}/g, (whole, name: string) => values[name] ?? whole).replace(/^ +| +$/g, "");
}

/** Sets the title from proc-title-template (at start-up when set-proc-title is yes, and on CONFIG SET of the template). */
export function applyProcessTitle(context: ServerContext): void {
  const template = context.accepted.get("proc-title-template") ?? "{title} {listen-addr} {server-mode}";
  setProcessTitle(expandTitle(context, template));
}

let environmentMoved = false;
let lastWrittenLength = 0;

/** Shows `title` as the process's command line. */
export function setProcessTitle(title: string): void {
  if (process.platform === "linux" && typeof process.versions.deno !== "string" && writeArgumentArea(title)) return;
  // Elsewhere, or when /proc/self/mem cannot be written: as much as Node's own title can hold.
  process.title = title;
}

// The argument and environment strings' span (fields 48-51 of /proc/self/stat), written with the title.
function writeArgumentArea(title: string): boolean {
  try {
    const stat = readFileSync("/proc/self/stat", "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [argStart, argEnd, envStart, envEnd] = fields.slice(45, 49).map(Number) as [number, number, number, number];
    if (!(argStart > 0 && argEnd > argStart)) return false;
    const bytes = Buffer.from(title, "latin1");
    // The kernel shows a title past the arguments only when it runs on into the environment strings.
    const capacity = envStart === argEnd && envEnd > envStart ? envEnd - argStart : argEnd - argStart;
    const length = Math.min(bytes.length, capacity - 1);
    if (length >= argEnd - argStart && !environmentMoved) {
      // Each variable set again is copied to the heap by setenv: the old strings are then free to overwrite.
      for (const [name, value] of Object.entries(process.env)) if (value !== undefined) process.env[name] = value;
      environmentMoved = true;
    }
    // Zeros after the title clear what a longer earlier title, or the original arguments, left there.
    const span = Math.max(length + 1, Math.min(lastWrittenLength, capacity), argEnd - argStart);
    const buffer = Buffer.alloc(span);
    bytes.copy(buffer, 0, 0, length);
    const fd = openSync("/proc/self/mem", "r+");
    try {
      writeSync(fd, buffer, 0, span, argStart);
    } finally {
      closeSync(fd);
    }
    lastWrittenLength = length + 1;
    return true;
  } catch {
    return false;
  }
}
