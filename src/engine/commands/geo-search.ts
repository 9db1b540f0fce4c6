// The geo searches, one implementation as in Redis's georadiusGeneric: GEORADIUS and
// GEORADIUSBYMEMBER (with STORE / STOREDIST), their _RO forms, GEOSEARCH and GEOSEARCHSTORE. Members
// are collected from the nine covering geohash cells in Redis's order (so ANY and unsorted replies
// match), filtered by the circle or box, then sorted by distance when asked (or when COUNT is given).
// Stores propagate verbatim: replaying them against the same data stores the same members.
import { ERRORS, ReplyError } from "../errors.ts";
import { align52, decodeScore, type GeoHashBits } from "../geo/geohash.ts";
import { formatDistance } from "../geo/geo-format.ts";
import { coveringCells, distanceWithin, type GeoShape } from "../geo/geo-shapes.ts";
import { ZSetValue } from "../keyspace/values.ts";
import { parseBigInteger, parseFloatArg } from "./arguments.ts";
import { markDirty } from "./access.ts";
import { parseLongLat, parseUnit, replyCoordinate } from "./geo-arguments.ts";
import { readZSet } from "./sorted-sets.ts";
import { defineCommand, type CommandSpec } from "./types.ts";
import type { Client } from "../server/context-types.ts";

/** Which command variant runs (Redis's RADIUS_* / GEOSEARCH flags). */
interface SearchFlags {
  readonly byCoordinates?: boolean;
  readonly byMember?: boolean;
  readonly noStore?: boolean;
  readonly search?: boolean;
  readonly searchStore?: boolean;
}

interface GeoPoint {
  readonly member: string;
  readonly longitude: number;
  readonly latitude: number;
  readonly distance: number;
  readonly score: number;
}

/** What the arguments asked for. */
interface SearchRequest {
  center: [number, number] | null;
  area:
    | { type: "circle"; radius: number; conversion: number }
    | { type: "box"; width: number; height: number; conversion: number }
    | null;
  storeKey: string | null;
  storeDistance: boolean;
  withDistance: boolean;
  withHash: boolean;
  withCoordinates: boolean;
  any: boolean;
  count: number;
  sort: "none" | "asc" | "desc";
}

const NOT_DECODABLE = "ERR could not decode requested zset member";

function memberPosition(zset: ZSetValue, member: string): [number, number] {
  const score = zset.score(member);
  if (score === undefined) throw new ReplyError(NOT_DECODABLE);
  return decodeScore(score);
}

function parseRadius(radiusText: string, unitText: string): { radius: number; conversion: number } {
  const radius = parseFloatArg(radiusText, "ERR need numeric radius");
  if (radius < 0) throw new ReplyError("ERR radius cannot be negative");
  return { radius, conversion: parseUnit(unitText) };
}

function parseBox(
  widthText: string,
  heightText: string,
  unitText: string,
): { width: number; height: number; conversion: number } {
  const width = parseFloatArg(widthText, "ERR need numeric width");
  const height = parseFloatArg(heightText, "ERR need numeric height");
  if (height < 0 || width < 0) throw new ReplyError("ERR height or width cannot be negative");
  return { width, height, conversion: parseUnit(unitText) };
}

// Parses everything after the fixed arguments, in Redis's order of checks.
function parseRequest(argv: readonly string[], flags: SearchFlags, zset: ZSetValue | undefined): SearchRequest {
  const request: SearchRequest = {
    center: null,
    area: null,
    storeKey: null,
    storeDistance: false,
    withDistance: false,
    withHash: false,
    withCoordinates: false,
    any: false,
    count: 0,
    sort: "none",
  };
  let base: number;
  if (flags.byCoordinates) {
    base = 6;
    request.center = parseLongLat(argv[2] as string, argv[3] as string);
    request.area = { type: "circle", ...parseRadius(argv[4] as string, argv[5] as string) };
  } else if (flags.byMember && zset === undefined) {
    base = 5;
  } else if (flags.byMember) {
    base = 5;
    request.center = memberPosition(zset as ZSetValue, argv[2] as string);
    request.area = { type: "circle", ...parseRadius(argv[3] as string, argv[4] as string) };
  } else {
    base = flags.searchStore ? 3 : 2;
    if (flags.searchStore) request.storeKey = argv[1] as string;
  }
  let fromMember = false;
  let fromLocation = false;
  let byRadius = false;
  let byBox = false;
  const remaining = argv.length - base;
  for (let index = 0; index < remaining; index += 1) {
    const word = (argv[base + index] as string).toLowerCase();
    const next = (offset: number): string => argv[base + index + offset] as string;
    if (word === "withdist") request.withDistance = true;
    else if (word === "withhash") request.withHash = true;
    else if (word === "withcoord") request.withCoordinates = true;
    else if (word === "any") request.any = true;
    else if (word === "asc") request.sort = "asc";
    else if (word === "desc") request.sort = "desc";
    else if (word === "count" && index + 1 < remaining) {
      const count = parseBigInteger(next(1));
      if (count <= 0n) throw new ReplyError("ERR COUNT must be > 0");
      request.count = Number(count);
      index += 1;
    } else if ((word === "store" || word === "storedist") && index + 1 < remaining && !flags.noStore && !flags.search) {
      request.storeKey = next(1);
      request.storeDistance = word === "storedist";
      index += 1;
    } else if (word === "storedist" && flags.search && flags.searchStore) {
      request.storeDistance = true;
    } else if (word === "frommember" && index + 1 < remaining && flags.search && !fromLocation) {
      if (zset !== undefined) request.center = memberPosition(zset, next(1));
      fromMember = true;
      index += 1;
    } else if (word === "fromlonlat" && index + 2 < remaining && flags.search && !fromMember) {
      request.center = parseLongLat(next(1), next(2));
      fromLocation = true;
      index += 2;
    } else if (word === "byradius" && index + 2 < remaining && flags.search && !byBox) {
      request.area = { type: "circle", ...parseRadius(next(1), next(2)) };
      byRadius = true;
      index += 2;
    } else if (word === "bybox" && index + 3 < remaining && flags.search && !byRadius) {
      request.area = { type: "box", ...parseBox(next(1), next(2), next(3)) };
      byBox = true;
      index += 3;
    } else {
      throw new ReplyError(ERRORS.syntax);
    }
  }
  if (request.storeKey !== null && (request.withDistance || request.withHash || request.withCoordinates)) {
    throw new ReplyError(
      `ERR ${flags.searchStore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS"} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
    );
  }
  const name = argv[0] as string;
  if (flags.search && !(fromMember || fromLocation))
    throw new ReplyError(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${name}`);
  if (flags.search && !(byRadius || byBox))
    throw new ReplyError(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${name}`);
  if (request.any && request.count === 0) throw new ReplyError("ERR the ANY argument requires COUNT argument");
  return request;
}

// Members of one cell whose score is in [min, max) and that lie inside the shape, appended in zset order.
function collectCell(zset: ZSetValue, cell: GeoHashBits, shape: GeoShape, points: GeoPoint[], limit: number): void {
  const min = Number(align52(cell));
  const max = Number(align52({ bits: cell.bits + 1n, step: cell.step }));
  const entries = zset.entries();
  for (let rank = zset.lowerBound(min, ""); rank < entries.length; rank += 1) {
    const entry = entries[rank] as (typeof entries)[number];
    if (!(entry.score < max)) break;
    const [longitude, latitude] = decodeScore(entry.score);
    const distance = distanceWithin(shape, longitude, latitude);
    if (distance !== null) points.push({ member: entry.member, longitude, latitude, distance, score: entry.score });
    if (points.length > 0 && limit > 0 && points.length >= limit) break;
  }
}

// membersOfAllNeighbors: the cells in order, zero cells skipped, a cell equal to the previously
// processed one skipped (the center never counts as "previous", as in Redis).
function collectPoints(zset: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = coveringCells(shape);
  const points: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let index = 0; index < cells.length; index += 1) {
    const cell = cells[index] as GeoHashBits;
    if (cell.bits === 0n && cell.step === 0) continue;
    const previous = cells[lastProcessed] as GeoHashBits;
    if (lastProcessed !== 0 && cell.bits === previous.bits && cell.step === previous.step) continue;
    if (points.length > 0 && limit > 0 && points.length >= limit) break;
    collectCell(zset, cell, shape, points, limit);
    lastProcessed = index;
  }
  return points;
}

function replyPoints(client: Client, points: readonly GeoPoint[], request: SearchRequest, conversion: number): void {
  const reply = client.reply;
  const options = (request.withDistance ? 1 : 0) + (request.withCoordinates ? 1 : 0) + (request.withHash ? 1 : 0);
  reply.array(points.length);
  for (const point of points) {
    if (options > 0) reply.array(options + 1);
    reply.bulk(point.member);
    if (request.withDistance) reply.bulk(formatDistance(point.distance / conversion));
    if (request.withHash) reply.integer(BigInt(Math.trunc(point.score)));
    if (request.withCoordinates) {
      reply.array(2);
      replyCoordinate(client, point.longitude);
      replyCoordinate(client, point.latitude);
    }
  }
}

function storePoints(
  client: Client,
  key: string,
  points: readonly GeoPoint[],
  request: SearchRequest,
  conversion: number,
): void {
  const db = client.db;
  if (points.length === 0) {
    if (db.delete(key)) markDirty(client);
    client.reply.integer(0);
    return;
  }
  const zset = new ZSetValue();
  for (const point of points) zset.add(point.member, request.storeDistance ? point.distance / conversion : point.score);
  db.set(key, zset);
  markDirty(client, points.length);
  client.reply.integer(points.length);
}

function searchGeneric(client: Client, argv: string[], sourceIndex: number, flags: SearchFlags): void {
  const zset = readZSet(client, argv[sourceIndex] as string);
  const request = parseRequest(argv, flags, zset);
  if (zset === undefined) {
    if (request.storeKey !== null) {
      if (client.db.delete(request.storeKey)) markDirty(client);
      client.reply.integer(0);
    } else {
      client.reply.array(0);
    }
    return;
  }
  const center = request.center as [number, number];
  const area = request.area as NonNullable<SearchRequest["area"]>;
  const shape: GeoShape =
    area.type === "circle"
      ? { type: "circle", longitude: center[0], latitude: center[1], conversion: area.conversion, radius: area.radius }
      : {
          type: "box",
          longitude: center[0],
          latitude: center[1],
          conversion: area.conversion,
          width: area.width,
          height: area.height,
        };
  if (request.count !== 0 && request.sort === "none" && !request.any) request.sort = "asc";
  const points = collectPoints(zset, shape, request.any ? request.count : 0);
  if (points.length === 0 && request.storeKey === null) {
    client.reply.array(0);
    return;
  }
  if (request.sort === "asc") points.sort((a, b) => (a.distance > b.distance ? 1 : a.distance === b.distance ? 0 : -1));
  else if (request.sort === "desc")
    points.sort((a, b) => (a.distance > b.distance ? -1 : a.distance === b.distance ? 0 : 1));
  const returned = request.count === 0 || points.length < request.count ? points : points.slice(0, request.count);
  if (request.storeKey === null) replyPoints(client, returned, request, shape.conversion);
  else storePoints(client, request.storeKey, returned, request, shape.conversion);
}

const WRITE = ["@write", "@geo", "@slow"] as const;
const READ = ["@read", "@geo", "@slow"] as const;

/** Geo search command specs. */
export const GEO_SEARCH_COMMANDS: readonly CommandSpec[] = [
  defineCommand({
    name: "georadius",
    arity: -6,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: (c, a) => searchGeneric(c, a, 1, { byCoordinates: true }),
  }),
  defineCommand({
    name: "georadius_ro",
    arity: -6,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: (c, a) => searchGeneric(c, a, 1, { byCoordinates: true, noStore: true }),
  }),
  defineCommand({
    name: "georadiusbymember",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: [1, 1, 1],
    categories: WRITE,
    handler: (c, a) => searchGeneric(c, a, 1, { byMember: true }),
  }),
  defineCommand({
    name: "georadiusbymember_ro",
    arity: -5,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: (c, a) => searchGeneric(c, a, 1, { byMember: true, noStore: true }),
  }),
  defineCommand({
    name: "geosearch",
    arity: -7,
    flags: ["readonly"],
    keys: [1, 1, 1],
    categories: READ,
    handler: (c, a) => searchGeneric(c, a, 1, { search: true }),
  }),
  defineCommand({
    name: "geosearchstore",
    arity: -8,
    flags: ["write", "denyoom"],
    keys: [1, 2, 1],
    categories: WRITE,
    handler: (c, a) => searchGeneric(c, a, 2, { search: true, searchStore: true }),
  }),
];
