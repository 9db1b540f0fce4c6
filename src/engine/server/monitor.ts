// MONITOR: clients that receive every command the server executes, one status line each, in Redis's
// format: `+<unix seconds>.<microseconds> [<db> <client address>] "arg" "arg" ...`. As Redis, admin
// commands and those flagged skip_monitor are not shown, and passwords are replaced by "(redacted)".
import type { Client, Monitors, TableEntry } from "./context-types.ts";

/** The MONITOR clients of one server. */
export class MonitorFeed implements Monitors {
  private readonly clients = new Set<Client>();

  get isEmpty(): boolean {
    return this.clients.size === 0;
  }

  /** MONITOR: the client receives the command feed from now on (a second MONITOR changes nothing). */
  add(client: Client): void {
    client.monitoring = true;
    this.clients.add(client);
  }

  /** RESET or disconnect: the client leaves the feed. */
  remove(client: Client): void {
    client.monitoring = false;
    this.clients.delete(client);
  }

  /** Sends one executed command to every monitor (Redis's replicationFeedMonitors). */
  feed(client: Client, entry: TableEntry, argv: readonly string[]): void {
    if (this.clients.size === 0 || client.isFake) return;
    const flags = entry.spec.flags;
    if (flags.includes("admin") || flags.includes("skip_monitor")) return;
    const adminSubcommands = ADMIN_SUBCOMMANDS.get(entry.spec.name);
    if (adminSubcommands !== undefined && argv.length > 1 && adminSubcommands.has((argv[1] as string).toLowerCase()))
      return;
    const micros = Math.round((performance.timeOrigin + performance.now()) * 1000);
    const seconds = Math.floor(micros / 1_000_000);
    const fraction = String(micros % 1_000_000).padStart(6, "0");
    const address = client.viaUnixSocket ? `unix:${client.remoteAddress.slice(0, -2)}` : client.remoteAddress;
    const shown = redact(entry.spec.name, argv);
    const line = `${seconds}.${fraction} [${client.dbIndex} ${address}] ${shown.map(quote).join(" ")}`;
    for (const monitor of this.clients) {
      if (monitor.socket === null || monitor.socket.destroyed) continue;
      monitor.reply.status(line);
      monitor.server.wakeClient(monitor);
    }
  }
}

// Arguments Redis hides from MONITOR (redactClientCommandArgument): AUTH's password (and user), HELLO's
// AUTH pair, and CONFIG SET of requirepass / masterauth never reach here (CONFIG is an admin command).
function redact(name: string, argv: readonly string[]): readonly string[] {
  if (name === "auth") return argv.map((arg, index) => (index === 0 ? arg : "(redacted)"));
  if (name === "hello") {
    const shown = [...argv];
    for (let index = 2; index < shown.length; index += 1) {
      if ((shown[index] as string).toLowerCase() === "auth" && index + 2 < shown.length) {
        shown[index + 1] = "(redacted)";
        shown[index + 2] = "(redacted)";
        index += 2;
      }
    }
    return shown;
  }
  return argv;
}

// sdscatrepr: a double-quoted string with C escapes for quotes, backslashes and non-printable bytes.
function quote(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const ch = text[index] as string;
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += "\\x" + code.toString(16).padStart(2, "0");
  }
  return out + '"';
}

// Subcommands Redis 7.0 flags admin (hidden from MONITOR) where the command itself is not (ACL SETUSER,
// with its passwords, among them).
const ADMIN_SUBCOMMANDS = new Map<string, ReadonlySet<string>>([
  ["acl", new Set(["deluser", "dryrun", "getuser", "list", "load", "log", "save", "setuser", "users"])],
  ["client", new Set(["kill", "list", "no-evict", "pause", "unblock", "unpause"])],
]);
