// CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO: option parsing and checks with Redis 7.0's
// errors; the tracking itself is server/tracking.ts.
import { ERRORS, ReplyError } from "../errors.ts";
import type { Client } from "../server/context-types.ts";
import { parseInteger } from "./arguments.ts";

/** CLIENT TRACKING (on|off) [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
export function clientTracking(client: Client, argv: string[]): void {
  if (argv.length < 3) throw new ReplyError(ERRORS.arity("client|tracking"));
  let redirect = 0;
  let bcast = false;
  let optin = false;
  let optout = false;
  let noloop = false;
  const prefixes: string[] = [];
  for (let index = 3; index < argv.length; index += 1) {
    const option = (argv[index] as string).toLowerCase();
    const moreArgs = index < argv.length - 1;
    if (option === "redirect" && moreArgs) {
      index += 1;
      if (redirect !== 0) throw new ReplyError("ERR A client can only redirect to a single other client");
      redirect = parseInteger(argv[index] as string);
      if (!client.server.clients.has(redirect))
        throw new ReplyError("ERR The client ID you want redirect to does not exist");
    } else if (option === "bcast") bcast = true;
    else if (option === "optin") optin = true;
    else if (option === "optout") optout = true;
    else if (option === "noloop") noloop = true;
    else if (option === "prefix" && moreArgs) {
      index += 1;
      prefixes.push(argv[index] as string);
    } else throw new ReplyError(ERRORS.syntax);
  }
  const tracking = client.server.tracking;
  const mode = (argv[2] as string).toLowerCase();
  if (mode === "off") {
    tracking.disable(client);
    client.reply.ok();
    return;
  }
  if (mode !== "on") throw new ReplyError(ERRORS.syntax);
  const current = client.tracking;
  if (!bcast && prefixes.length > 0) throw new ReplyError("ERR PREFIX option requires BCAST mode to be enabled");
  if (current !== null && current.bcast !== bcast) {
    throw new ReplyError(
      "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    );
  }
  if (bcast && (optin || optout)) throw new ReplyError("ERR OPTIN and OPTOUT are not compatible with BCAST");
  if (optin && optout) throw new ReplyError("ERR You can't use both OPTIN and OPTOUT");
  if (current !== null && ((optin && current.optout) || (optout && current.optin))) {
    throw new ReplyError(
      "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    );
  }
  if (bcast) {
    const overlap = tracking.findOverlap(client, prefixes);
    if (overlap !== null) {
      throw new ReplyError(
        `ERR Prefix '${overlap[0]}' overlaps with an existing prefix '${overlap[1]}'. Prefixes for a single client must not overlap.`,
      );
    }
  }
  tracking.enable(client, { redirect, bcast, prefixes, optin, optout, noloop });
  client.reply.ok();
}

/** CLIENT CACHING yes|no: whether the next command's keys are tracked (OPTIN / OPTOUT modes). */
export function clientCaching(client: Client, argv: string[]): void {
  if (argv.length !== 3) throw new ReplyError(ERRORS.arity("client|caching"));
  const state = client.tracking;
  if (state === null) {
    throw new ReplyError(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    );
  }
  const answer = (argv[2] as string).toLowerCase();
  if (answer === "yes") {
    if (!state.optin)
      throw new ReplyError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
  } else if (answer === "no") {
    if (!state.optout)
      throw new ReplyError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
  } else throw new ReplyError(ERRORS.syntax);
  state.cachingGiven = true;
  client.reply.ok();
}

/** CLIENT GETREDIR: -1 when tracking is off, else the redirect id (0 for none). */
export function clientGetRedir(client: Client, argv: string[]): void {
  if (argv.length !== 2) throw new ReplyError(ERRORS.arity("client|getredir"));
  client.reply.integer(client.tracking === null ? -1 : client.tracking.redirect);
}

/** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
export function clientTrackingInfo(client: Client, argv: string[]): void {
  if (argv.length !== 2) throw new ReplyError(ERRORS.arity("client|trackinginfo"));
  const state = client.tracking;
  const flags: string[] = [];
  if (state === null) flags.push("off");
  else {
    flags.push("on");
    if (state.bcast) flags.push("bcast");
    if (state.optin) {
      flags.push("optin");
      if (state.cachingGiven) flags.push("caching-yes");
    }
    if (state.optout) {
      flags.push("optout");
      if (state.cachingGiven) flags.push("caching-no");
    }
    if (state.noloop) flags.push("noloop");
    if (state.brokenRedirect) flags.push("broken_redirect");
  }
  const reply = client.reply;
  reply.map(3);
  reply.bulk("flags");
  reply.set(flags.length);
  for (const flag of flags) reply.bulk(flag);
  reply.bulk("redirect");
  reply.integer(state === null ? -1 : state.redirect);
  reply.bulk("prefixes");
  reply.array(state?.prefixes.length ?? 0);
  for (const prefix of state?.prefixes ?? []) reply.bulk(prefix);
}
