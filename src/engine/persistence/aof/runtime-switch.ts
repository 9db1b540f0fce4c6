// Turning the AOF on and off at runtime (CONFIG SET appendonly yes|no, as Redis's startAppendOnly and
// stopAppendOnly) and collecting the history kept while aof-disable-auto-gc was yes.
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { ReplyError } from "../../errors.ts";
import { tempIncrFileName } from "./file-names.ts";
import { deleteHistoryFiles } from "./history-files.ts";
import { cancelRewrite, startRewrite } from "./rewrite.ts";
import { aofDirectory, type AofRuntime } from "./runtime.ts";
import { loadManifestOrRefuse } from "./startup.ts";

/** CONFIG SET appendonly yes: the AOF starts with a base of the current data set (wait-rewrite). */
export function startAppendOnly(runtime: AofRuntime): void {
  const { context, shared, writer } = runtime;
  const { settings, log } = context;
  runtime.manifest ??= loadManifestOrRefuse(runtime);
  runtime.state = "wait-rewrite";
  if (runtime.rewrite.running !== null) {
    log.warning(
      "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.",
    );
    runtime.rewrite.cancelRequested = true;
    shared.rewriteScheduled = true;
  } else if (shared.backgroundJob !== null) {
    shared.rewriteScheduled = true;
    log.warning(
      "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.",
    );
  } else if (context.dispatcher.inExec) {
    shared.rewriteScheduled = true;
    log.warning("AOF was enabled during a transaction. An AOF background was scheduled to start when possible.");
  } else if (!startRewrite(runtime)) {
    runtime.state = "off";
    settings.appendonly = false;
    log.warning(
      "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
    );
    throw new ReplyError(
      "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.",
    );
  }
  if (writer.fsyncError !== null) {
    log.warning("AOF reopen, just ignore the AOF fsync error in bio job");
    writer.fsyncError = null;
  }
  if (writer.writeError !== null) {
    log.warning("AOF reopen, just ignore the last error.");
    writer.writeError = null;
  }
}

/** CONFIG SET appendonly no: flush, fsync and close; a running rewrite is cancelled. */
export async function stopAppendOnly(runtime: AofRuntime): Promise<void> {
  const { shared, writer } = runtime;
  const settings = runtime.context.settings;
  const wasWaiting = runtime.state === "wait-rewrite";
  runtime.state = "off";
  shared.rewriteScheduled = false;
  const closing = writer.close();
  await cancelRewrite(runtime);
  await closing;
  if (wasWaiting) {
    try {
      unlinkSync(join(aofDirectory(runtime), tempIncrFileName(settings.appendfilename)));
    } catch {
      // never created
    }
  }
}

/** CONFIG SET aof-disable-auto-gc no: history kept while it was yes goes now (manifest first, synchronously). */
export async function collectHistoryNow(runtime: AofRuntime): Promise<void> {
  const { context } = runtime;
  const { settings, log } = context;
  const manifest = runtime.manifest;
  if (manifest === null || runtime.rewrite.running !== null || context.accepted.get("aof-disable-auto-gc") === "yes")
    return;
  runtime.manifest = await deleteHistoryFiles({
    directory: aofDirectory(runtime),
    appendFilename: settings.appendfilename,
    manifest,
    log,
  });
}
