// Arguments and reply pieces shared by the geo commands: units, longitude/latitude pairs (with
// Redis's "%f" error text), and coordinates printed as Redis's human long doubles.
import { ReplyError } from "../errors.ts";
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from "../geo/geohash.ts";
import { formatCoordinate, formatPrintfFixed } from "../geo/geo-format.ts";
import { parseFloatArg } from "./arguments.ts";
import type { Client } from "../server/context-types.ts";

/** Meters per unit for the units geo commands accept. */
export function parseUnit(text: string): number {
  switch (text.toLowerCase()) {
    case "m":
      return 1;
    case "km":
      return 1000;
    case "ft":
      return 0.3048;
    case "mi":
      return 1609.34;
    default:
      throw new ReplyError("ERR unsupported unit provided. please use M, KM, FT, MI");
  }
}

/** Redis's extractLongLatOrReply: both floats first, then the range check. */
export function parseLongLat(longitudeText: string, latitudeText: string): [number, number] {
  const longitude = parseFloatArg(longitudeText);
  const latitude = parseFloatArg(latitudeText);
  if (longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX || latitude < GEO_LAT_MIN || latitude > GEO_LAT_MAX) {
    throw new ReplyError(
      `ERR invalid longitude,latitude pair ${formatPrintfFixed(longitude)},${formatPrintfFixed(latitude)}`,
    );
  }
  return [longitude, latitude];
}

/** A coordinate reply: a bulk string in RESP2, a double in RESP3, with the long double text. */
export function replyCoordinate(client: Client, value: number): void {
  const text = formatCoordinate(value);
  if (client.reply.protocol === 3) client.reply.raw("," + text + "\r\n");
  else client.reply.bulk(text);
}
