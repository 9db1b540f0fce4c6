// ACL users, as far as this engine goes: named users with on/off, passwords (stored as SHA-256, as
// Redis does) or nopass, command permissions (+@all / -@all, then +/- rules for commands, subcommands
// `config|get` and categories `@read`, applied in order), and whole key and channel permissions: all
// keys or none, all channels or none. The default user follows `requirepass` until ACL SETUSER
// changes its passwords. Key and channel patterns (~user:*, &news.*) and selectors are refused with
// an error saying so.
import { createHash } from "node:crypto";
import type { AclDenial, AclUser, AclUsers, Client, ServerContext } from "./context-types.ts";

/** What ACL SETUSER may name in a command rule: a command, `command|subcommand`, or `@category`. */
export type RuleTargetCheck = (target: string) => boolean;

/** Raised by ACL SETUSER for a rule it cannot apply; the message is Redis's text after "modifier '<rule>': ". */
export class AclRuleError extends Error {
  override readonly name = "AclRuleError";
  readonly rule: string;

  constructor(rule: string, message: string) {
    super(message);
    this.rule = rule;
  }
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** SHA-256 hex of a password (latin1 bytes, as the engine holds arguments). */
export function hashPassword(password: string): string {
  return createHash("sha256").update(Buffer.from(password, "latin1")).digest("hex");
}

// Commands whose arguments name channels (checked against the user's channel permission).
const CHANNEL_COMMANDS = new Set(["publish", "subscribe", "psubscribe", "ssubscribe", "spublish"]);

/** The users of one server. */
export class AclUserTable implements AclUsers {
  private readonly users = new Map<string, AclUser>();
  private readonly context: ServerContext;
  // The requirepass value the default user's passwords were last derived from.
  private requirepassSeen: string | undefined = undefined;
  /** True once any user lacks a permission: the dispatcher checks permissions only then. */
  restricted = false;

  constructor(context: ServerContext) {
    this.context = context;
    this.users.set("default", {
      name: "default",
      enabled: true,
      nopass: true,
      passwords: [],
      allCommands: true,
      commandRules: [],
      allKeys: true,
      allChannels: true,
    });
    this.syncDefaultWithRequirepass();
  }

  /** The user named `name`, or undefined. */
  get(name: string): AclUser | undefined {
    if (name === "default") this.syncDefaultWithRequirepass();
    return this.users.get(name);
  }

  /** Whether a new (or RESET) connection is authenticated as the default user without AUTH. */
  defaultUserNeedsNoAuth(): boolean {
    const user = this.get("default") as AclUser;
    return user.enabled && user.nopass;
  }

  /** AUTH / HELLO AUTH: true when the pair is valid (the user exists, is on, and the password matches). */
  checkPassword(name: string, password: string): boolean {
    const user = this.get(name);
    if (user === undefined || !user.enabled) return false;
    if (user.nopass) return true;
    return user.passwords.includes(hashPassword(password));
  }

  /** User names, sorted (ACL USERS). */
  names(): string[] {
    return [...this.users.keys()].sort();
  }

  /** ACL LIST lines, sorted by user name. */
  describeAll(): string[] {
    return this.names().map((name) => describeUser(this.get(name) as AclUser));
  }

  /** ACL SETUSER: applies `rules` to a copy of the user (created when missing); nothing changes on error. */
  setUser(name: string, rules: readonly string[]): void {
    const existing = this.get(name);
    const user: AclUser =
      existing === undefined
        ? {
            name,
            enabled: false,
            nopass: false,
            passwords: [],
            allCommands: false,
            commandRules: [],
            allKeys: false,
            allChannels: this.pubsubDefaultAll(),
          }
        : { ...existing, passwords: [...existing.passwords], commandRules: [...existing.commandRules] };
    for (const rule of rules) applyRule(user, rule, this.pubsubDefaultAll(), (target) => this.isRuleTarget(target));
    this.users.set(name, user);
    this.updateRestricted();
  }

  /** ACL DELUSER: removes users (never `default`), disconnecting their clients; returns how many existed. */
  deleteUsers(names: readonly string[]): number {
    let deleted = 0;
    for (const name of names) {
      if (!this.users.delete(name)) continue;
      deleted += 1;
      for (const client of this.context.clients.values()) if (client.user === name) client.socket?.destroy();
    }
    this.updateRestricted();
    return deleted;
  }

  /** Redis's ACLCheckAllPerm for a command about to run (`fullName` is `config|get` for a subcommand): null when allowed. */
  check(client: Client, name: string, fullName: string, noAuth: boolean, hasKeys: boolean): AclDenial | null {
    const user = this.get(client.user);
    if (user === undefined) return "command";
    if (!noAuth && !this.mayRun(user, name, fullName)) return "command";
    if (!user.allKeys && hasKeys) return "key";
    if (!user.allChannels && CHANNEL_COMMANDS.has(name)) return "channel";
    return null;
  }

  // The user's command permission for `name` / `fullName`: +@all / -@all, then the last matching rule.
  private mayRun(user: AclUser, name: string, fullName: string): boolean {
    let allowed = user.allCommands;
    if (user.commandRules.length === 0) return allowed;
    const categories = this.context.commands.get(name)?.categories ?? [];
    for (const rule of user.commandRules) {
      if (
        rule.target === name ||
        rule.target === fullName ||
        (rule.target.startsWith("@") && categories.includes(rule.target))
      )
        allowed = rule.allow;
    }
    return allowed;
  }

  // Whether a command rule names a command, one of its subcommands, or a category of some command.
  private isRuleTarget(target: string): boolean {
    const commands = this.context.commands;
    if (target.startsWith("@"))
      return [...commands.values()].some((spec) => spec.categories?.includes(target) === true);
    const [parent, sub] = target.split("|") as [string, string | undefined];
    const spec = commands.get(parent);
    if (spec === undefined) return false;
    if (sub === undefined) return true;
    return (
      spec.subcommands === undefined ||
      spec.subcommands.length === 0 ||
      spec.subcommands.some((child) => child.name === sub)
    );
  }

  private updateRestricted(): void {
    this.restricted = [...this.users.values()].some(
      (each) => !each.allCommands || each.commandRules.length > 0 || !each.allKeys || !each.allChannels,
    );
  }

  // acl-pubsub-default: resetchannels (Redis 7.0's default) or allchannels for new and reset users.
  private pubsubDefaultAll(): boolean {
    return this.context.accepted.get("acl-pubsub-default") === "allchannels";
  }

  // As Redis's ACLUpdateDefaultUserPassword on every requirepass change: the default user gets that
  // password, or nopass when it is empty; ACL SETUSER default may change that until requirepass changes.
  private syncDefaultWithRequirepass(): void {
    const requirepass = this.context.settings.requirepass;
    if (this.requirepassSeen === requirepass) return;
    this.requirepassSeen = requirepass;
    const user = this.users.get("default") as AclUser;
    user.passwords = requirepass === "" ? [] : [hashPassword(requirepass)];
    user.nopass = requirepass === "";
  }
}

// Applies one ACL SETUSER rule to `user`.
function applyRule(user: AclUser, rule: string, pubsubDefaultAll: boolean, isRuleTarget: RuleTargetCheck): void {
  const lower = rule.toLowerCase();
  switch (lower) {
    case "on":
      user.enabled = true;
      return;
    case "off":
      user.enabled = false;
      return;
    case "nopass":
      user.nopass = true;
      user.passwords = [];
      return;
    case "resetpass":
      user.nopass = false;
      user.passwords = [];
      return;
    case "allcommands":
    case "+@all":
      user.allCommands = true;
      user.commandRules = [];
      return;
    case "nocommands":
    case "-@all":
      user.allCommands = false;
      user.commandRules = [];
      return;
    case "allkeys":
    case "~*":
    case "%rw~*":
      user.allKeys = true;
      return;
    case "resetkeys":
      user.allKeys = false;
      return;
    case "allchannels":
    case "&*":
      user.allChannels = true;
      return;
    case "resetchannels":
      user.allChannels = false;
      return;
    case "sanitize-payload":
    case "skip-sanitize-payload":
      // DUMP payload sanitizing: RESTORE is not in the engine, so there is nothing to sanitize or skip.
      return;
    case "reset":
      user.enabled = false;
      user.nopass = false;
      user.passwords = [];
      user.allCommands = false;
      user.commandRules = [];
      user.allKeys = false;
      user.allChannels = pubsubDefaultAll;
      return;
    default:
      break;
  }
  const first = rule[0];
  if (first === ">" || first === "<") {
    const hash = hashPassword(rule.slice(1));
    changePassword(user, rule, first === ">", hash);
    return;
  }
  if (first === "#" || first === "!") {
    const hash = rule.slice(1);
    if (!HASH_PATTERN.test(hash)) {
      throw new AclRuleError(
        rule,
        "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
      );
    }
    changePassword(user, rule, first === "#", hash);
    return;
  }
  if (first === "+" || first === "-") {
    const target = lower.slice(1);
    if (!isRuleTarget(target)) throw new AclRuleError(rule, "Unknown command or category name in ACL");
    // As Redis 7.0's command_rules: a rule replaces an earlier one for the same target.
    user.commandRules = user.commandRules.filter((existing) => existing.target !== target);
    user.commandRules.push({ allow: first === "+", target });
    return;
  }
  if (first === "~" || first === "%" || first === "&" || first === "(") {
    throw new AclRuleError(
      rule,
      "persistlab-server's ACL users hold whole key and channel permissions only: ~*/resetkeys (allkeys), &*/resetchannels (allchannels); key or channel patterns and selectors are not supported",
    );
  }
  throw new AclRuleError(rule, "Syntax error");
}

function changePassword(user: AclUser, rule: string, adding: boolean, hash: string): void {
  if (adding) {
    if (!user.passwords.includes(hash)) user.passwords.push(hash);
    user.nopass = false;
    return;
  }
  const index = user.passwords.indexOf(hash);
  if (index < 0) throw new AclRuleError(rule, "The password you are trying to remove from the user does not exist");
  user.passwords.splice(index, 1);
  user.nopass = false;
}

/** ACL LIST's line for a user: `user <name> on|off [nopass] [#<sha256> ...] [~*] &*|resetchannels +@all|-@all [+/-rule ...]`. */
export function describeUser(user: AclUser): string {
  const parts = ["user", user.name, user.enabled ? "on" : "off"];
  if (user.nopass) parts.push("nopass");
  for (const hash of user.passwords) parts.push(`#${hash}`);
  if (user.allKeys) parts.push("~*");
  parts.push(user.allChannels ? "&*" : "resetchannels");
  parts.push(user.allCommands ? "+@all" : "-@all");
  for (const rule of user.commandRules) parts.push(`${rule.allow ? "+" : "-"}${rule.target}`);
  return parts.join(" ");
}
