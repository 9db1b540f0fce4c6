// Turns on fsync latency tracing for engines that do not report it (real redis-server): builds the
// LD_PRELOAD shim once and registers its fsync source in sync-only mode; says why when it cannot.
import { compilePowerLossShim } from "../shim/compile-shim.ts";
import { createShimFsyncSource } from "./shim-source.ts";
import { registerFsyncSource, setFsyncTracingUnavailable } from "./source.ts";

let enabled: Promise<boolean> | undefined;

/** Registers the shim-backed source (once per process); resolves false when the shim cannot be built. */
export function enableShimFsyncTracing(): Promise<boolean> {
  enabled ??= compilePowerLossShim().then((shim) => {
    if (!shim.available) {
      setFsyncTracingUnavailable(`the LD_PRELOAD fsync tracer could not be built (${shim.reason})`);
      return false;
    }
    registerFsyncSource(createShimFsyncSource({ libraryPath: shim.libraryPath }));
    return true;
  });
  return enabled;
}
