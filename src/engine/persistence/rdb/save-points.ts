// When Redis's serverCron starts a background save: a `save <seconds> <changes>` rule whose
// changes happened and whose seconds passed since the last successful save, or a BGSAVE SCHEDULE
// waiting for the other background job; after a failed save, retries wait CONFIG_BGSAVE_RETRY_DELAY.
import type { SavePoint } from "../../config/settings.ts";

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds between attempts after a failed background save. */
export const BGSAVE_RETRY_DELAY_SEC = 5;

/** What the decision needs. */
export interface SaveClock {
  /** Unix seconds now. */
  readonly nowSec: number;
  /** Writes since the last successful save. */
  readonly dirty: number;
  /** Unix seconds of the last successful save (or of start-up). */
  readonly lastSaveSec: number;
  /** Unix seconds of the last background save attempt. */
  readonly lastTrySec: number;
  /** Whether the last background save succeeded. */
  readonly lastStatusOk: boolean;
}

/** Whether a retry is allowed now (always after a success; after a failure, once the delay passed). */
export function isRetryAllowed(clock: SaveClock): boolean {
  return clock.lastStatusOk || clock.nowSec - clock.lastTrySec > BGSAVE_RETRY_DELAY_SEC;
}

/** The save point that fires now, or null. */
export function findDueSavePoint(points: readonly SavePoint[], clock: SaveClock): SavePoint | null {
  if (!isRetryAllowed(clock)) return null;
  for (const point of points) {
    if (clock.dirty >= point.changes && clock.nowSec - clock.lastSaveSec > point.seconds) return point;
  }
  return null;
}
