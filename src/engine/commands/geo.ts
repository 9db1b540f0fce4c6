// Geo commands on sorted sets whose scores are 52-bit geohashes: GEOADD (turned into the ZADD it
// runs and propagates, as Redis does), GEOPOS, GEODIST, GEOHASH. The searches (GEORADIUS*,
// GEOSEARCH, GEOSEARCHSTORE) live in geo-search.ts.
import { ERRORS, ReplyError } from "../errors.ts";
import { GEO_STEP_MAX, align52, decodeScore, encodeGeohash } from "../geo/geohash.ts";
import { formatDistance } from "../geo/geo-format.ts";
import { geoDistance } from "../geo/geo-shapes.ts";
import { parseLongLat, parseUnit, replyCoordinate } from "./geo-arguments.ts";
import { readZSet, SORTED_SET_COMMANDS } from "./sorted-sets.ts";
import { GEO_SEARCH_COMMANDS } from "./geo-search.ts";
import { defineCommand, type CommandHandler, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

const zaddHandler: CommandHandler = (SORTED_SET_COMMANDS.find((spec) => spec.name === "zadd") as CommandSpec).handler;

function geoaddCommand(client: Client, argv: string[]): void {
  let first = 2;
  let nx = false;
  let xx = false;
  for (; first < argv.length; first += 1) {
    const option = (argv[first] as string).toLowerCase();
    if (option === "nx") nx = true;
    else if (option === "xx") xx = true;
    else if (option !== "ch") break;
  }
  if ((argv.length - first) % 3 !== 0 || (xx && nx)) throw new ReplyError(ERRORS.syntax);
  const zadd = ["zadd", ...argv.slice(1, first)];
  for (let index = first; index < argv.length; index += 3) {
    const [longitude, latitude] = parseLongLat(argv[index] as string, argv[index + 1] as string);
    const hash = encodeGeohash(longitude, latitude, GEO_STEP_MAX);
    zadd.push(String(hash === null ? 0n : align52(hash)), argv[index + 2] as string);
  }
  zaddHandler(client, zadd);
  client.propagate(zadd);
}

function geoposCommand(client: Client, argv: string[]): void {
  const zset = readZSet(client, argv[1] as string);
  client.reply.array(argv.length - 2);
  for (let index = 2; index < argv.length; index += 1) {
    const score = zset?.score(argv[index] as string);
    if (score === undefined) {
      client.reply.nilArray();
      continue;
    }
    const [longitude, latitude] = decodeScore(score);
    client.reply.array(2);
    replyCoordinate(client, longitude);
    replyCoordinate(client, latitude);
  }
}

function geodistCommand(client: Client, argv: string[]): void {
  let toMeters = 1;
  if (argv.length === 5) toMeters = parseUnit(argv[4] as string);
  else if (argv.length > 5) throw new ReplyError(ERRORS.syntax);
  const zset = readZSet(client, argv[1] as string);
  const first = zset?.score(argv[2] as string);
  const second = zset?.score(argv[3] as string);
  if (first === undefined || second === undefined) {
    client.reply.nil();
    return;
  }
  const [lon1, lat1] = decodeScore(first);
  const [lon2, lat2] = decodeScore(second);
  client.reply.bulk(formatDistance(geoDistance(lon1, lat1, lon2, lat2) / toMeters));
}

const GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
const STANDARD_LONGITUDE = { min: -180, max: 180 };
const STANDARD_LATITUDE = { min: -90, max: 90 };

// The 11-character standard geohash of a stored position (re-encoded over latitude ±90).
function standardGeohash(score: number): string {
  const [longitude, latitude] = decodeScore(score);
  const bits = encodeGeohash(longitude, latitude, GEO_STEP_MAX, STANDARD_LONGITUDE, STANDARD_LATITUDE)?.bits ?? 0n;
  let text = "";
  for (let index = 0; index < 11; index += 1) {
    const digit = index === 10 ? 0 : Number((bits >> BigInt(52 - (index + 1) * 5)) & 0x1fn);
    text += GEOHASH_ALPHABET[digit] as string;
  }
  return text;
}

function geohashCommand(client: Client, argv: string[]): void {
  const zset = readZSet(client, argv[1] as string);
  client.reply.array(argv.length - 2);
  for (let index = 2; index < argv.length; index += 1) {
    const score = zset?.score(argv[index] as string);
    if (score === undefined) client.reply.nil();
    else client.reply.bulk(standardGeohash(score));
  }
}

const READ = ["@read", "@geo", "@slow"] as const;

/** Geo command specs (with the searches). */
export const GEO_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "geoadd",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: ["@write", "@geo", "@slow"],
    handler: geoaddCommand,
  }),
  defineCommand({
    name: "geopos",
    arity: -2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: geoposCommand,
  }),
  defineCommand({
    name: "geodist",
    arity: -4,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: geodistCommand,
  }),
  defineCommand({
    name: "geohash",
    arity: -2,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: geohashCommand,
  }),
  ...GEO_SEARCH_COMMANDS,
];
