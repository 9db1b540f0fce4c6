// Back-off after repeated rewrite failures (Redis's aofRewriteLimited): from the third consecutive
// failure, automatic rewrites wait 1, 2, 4 ... up to 60 minutes. BGREWRITEAOF is never limited.
import { unixSeconds, type AofRuntime } from "./runtime.ts";

const LIMIT_THRESHOLD = 3;
const LIMIT_MAX_MINUTES = 60;

/** True while automatic rewrites must wait. */
export function isRewriteLimited(runtime: AofRuntime): boolean {
  const rewrite = runtime.rewrite;
  if (rewrite.consecutiveFailures < LIMIT_THRESHOLD) {
    rewrite.nextDelayMinutes = 0;
    rewrite.nextAllowedAtSec = 0;
    return false;
  }
  const now = unixSeconds();
  if (rewrite.nextAllowedAtSec !== 0) {
    if (now < rewrite.nextAllowedAtSec) return true;
    rewrite.nextAllowedAtSec = 0;
    return false;
  }
  rewrite.nextDelayMinutes = Math.min(
    LIMIT_MAX_MINUTES,
    rewrite.nextDelayMinutes === 0 ? 1 : rewrite.nextDelayMinutes * 2,
  );
  rewrite.nextAllowedAtSec = now + rewrite.nextDelayMinutes * 60;
  runtime.context.log.warning(
    `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${rewrite.nextDelayMinutes} minutes`,
  );
  return true;
}
