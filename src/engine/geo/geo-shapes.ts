// Search shapes (a circle or an axis-aligned box around a point), the nine geohash cells that cover
// one (Redis's geohashCalculateAreasByShapeWGS84: a step from the radius, lowered once when a
// neighbor does not reach the bounding box, useless neighbors dropped), and the haversine distance
// with Redis's Earth radius, so both servers pick the same cells and the same members. sin, cos and
// asin are correctly rounded (precise-trig.ts) to agree with glibc's, which Redis uses.
import {
  NO_AREA,
  decodeGeohash,
  encodeGeohash,
  neighborsOf,
  type GeoHashArea,
  type GeoHashBits,
  type GeoHashNeighbors,
} from "./geohash.ts";
import { preciseAsin, preciseCos, preciseSin } from "./precise-trig.ts";

const DEGREES_TO_RADIANS = Math.PI / 180.0;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const toRadians = (degrees: number): number => degrees * DEGREES_TO_RADIANS;
const toDegrees = (radians: number): number => radians / DEGREES_TO_RADIANS;

/** A search area: a circle (radius) or a box (width × height), in `conversion` units to meters. */
export type GeoShape =
  | {
      readonly type: "circle";
      readonly longitude: number;
      readonly latitude: number;
      readonly conversion: number;
      readonly radius: number;
    }
  | {
      readonly type: "box";
      readonly longitude: number;
      readonly latitude: number;
      readonly conversion: number;
      readonly width: number;
      readonly height: number;
    };

/** Bounding box of a shape: [min longitude, min latitude, max longitude, max latitude]. */
export function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { longitude, latitude } = shape;
  const height = shape.conversion * (shape.type === "circle" ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === "circle" ? shape.radius : shape.width / 2);
  const latDelta = toDegrees(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = toDegrees(width / EARTH_RADIUS_IN_METERS / preciseCos(toRadians(latitude + latDelta)));
  const longDeltaBottom = toDegrees(width / EARTH_RADIUS_IN_METERS / preciseCos(toRadians(latitude - latDelta)));
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

/** geohashEstimateStepsByRadius: cell precision for a search radius at a latitude. */
export function estimateSteps(rangeMeters: number, latitude: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step += 1;
  }
  step -= 2;
  if (latitude > 66 || latitude < -66) {
    step -= 1;
    if (latitude > 80 || latitude < -80) step -= 1;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** The cells to search, center first, in Redis's order (north, south, east, west, NE, NW, SE, SW). */
export function coveringCells(shape: GeoShape): GeoHashBits[] {
  const [minLongitude, minLatitude, maxLongitude, maxLatitude] = boundingBox(shape);
  const { longitude, latitude } = shape;
  let radiusMeters =
    shape.type === "circle"
      ? shape.radius
      : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, latitude);
  let hash = encodeGeohash(longitude, latitude, steps) as GeoHashBits;
  let neighbors: GeoHashNeighbors = neighborsOf(hash);
  let area: GeoHashArea = decodeGeohash(hash);
  const north = decodeGeohash(neighbors.north);
  const south = decodeGeohash(neighbors.south);
  const east = decodeGeohash(neighbors.east);
  const west = decodeGeohash(neighbors.west);
  const decrease =
    north.latitudeMax < maxLatitude ||
    south.latitudeMin > minLatitude ||
    east.longitudeMax < maxLongitude ||
    west.longitudeMin > minLongitude;
  if (steps > 1 && decrease) {
    steps -= 1;
    hash = encodeGeohash(longitude, latitude, steps) as GeoHashBits;
    neighbors = neighborsOf(hash);
    area = decodeGeohash(hash);
  }
  if (steps >= 2) {
    if (area.latitudeMin < minLatitude) {
      neighbors.south = NO_AREA;
      neighbors.southWest = NO_AREA;
      neighbors.southEast = NO_AREA;
    }
    if (area.latitudeMax > maxLatitude) {
      neighbors.north = NO_AREA;
      neighbors.northEast = NO_AREA;
      neighbors.northWest = NO_AREA;
    }
    if (area.longitudeMin < minLongitude) {
      neighbors.west = NO_AREA;
      neighbors.southWest = NO_AREA;
      neighbors.northWest = NO_AREA;
    }
    if (area.longitudeMax > maxLongitude) {
      neighbors.east = NO_AREA;
      neighbors.southEast = NO_AREA;
      neighbors.northEast = NO_AREA;
    }
  }
  return [
    hash,
    neighbors.north,
    neighbors.south,
    neighbors.east,
    neighbors.west,
    neighbors.northEast,
    neighbors.northWest,
    neighbors.southEast,
    neighbors.southWest,
  ];
}

/** Distance along a meridian between two latitudes (degrees), in meters. */
export function latitudeDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(toRadians(lat2) - toRadians(lat1));
}

/** Haversine great-circle distance in meters (Redis's geohashGetDistance), with glibc-like trig. */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversine(lon1, lat1, lon2, lat2, preciseSin, preciseCos, preciseAsin);
}

// The same with V8's Math: off by an ulp or so, ~20x cheaper; used to reject points far from a boundary.
function roughDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return haversine(lon1, lat1, lon2, lat2, Math.sin, Math.cos, Math.asin);
}

type Trig = (x: number) => number;

function haversine(lon1: number, lat1: number, lon2: number, lat2: number, sin: Trig, cos: Trig, asin: Trig): number {
  const lon1r = toRadians(lon1);
  const lon2r = toRadians(lon2);
  const v = sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latitudeDistance(lat1, lat2);
  const lat1r = toRadians(lat1);
  const lat2r = toRadians(lat2);
  const u = sin((lat2r - lat1r) / 2);
  const a = u * u + cos(lat1r) * cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
}

// Whether a rough distance is certainly above the limit (its error is far below this margin).
const isClearlyBeyond = (rough: number, limit: number): boolean => rough > limit * (1 + 1e-9) + 1e-6;

/** The distance from the shape's center when the point lies inside the shape, else null. */
export function distanceWithin(shape: GeoShape, longitude: number, latitude: number): number | null {
  if (shape.type === "circle") {
    const limit = shape.radius * shape.conversion;
    if (isClearlyBeyond(roughDistance(shape.longitude, shape.latitude, longitude, latitude), limit)) return null;
    const distance = geoDistance(shape.longitude, shape.latitude, longitude, latitude);
    return distance > limit ? null : distance;
  }
  const width = shape.width * shape.conversion;
  const height = shape.height * shape.conversion;
  if (latitudeDistance(latitude, shape.latitude) > height / 2) return null;
  if (isClearlyBeyond(roughDistance(longitude, latitude, shape.longitude, latitude), width / 2)) return null;
  if (geoDistance(longitude, latitude, shape.longitude, latitude) > width / 2) return null;
  return geoDistance(shape.longitude, shape.latitude, longitude, latitude);
}
