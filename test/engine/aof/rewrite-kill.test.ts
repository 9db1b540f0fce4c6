// AOF rewrite and history next to redis-server 7.0 (real processes): every BGREWRITEAOF opens its new
// incr before the rewrite runs, so a rewrite whose child is killed still leaves that incr in the
// manifest; CONFIG SET aof-disable-auto-gc no drops the kept history at once; DEBUG LOADAOF leaves no
// changes to save.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onBothServers, type Call } from "../../helpers/differential.ts";
import { SKIP_WITHOUT_REDIS, sleep } from "../../helpers/servers.ts";

/** The background job's child of `pid` (Redis's fork child, the engine's stand-in process). */
function childOf(pid: number): number {
  const out = execFileSync("ps", ["--ppid", String(pid), "-o", "pid="], { encoding: "utf8" }).trim();
  const first = out.split("\n")[0]?.trim() ?? "";
  if (first === "") throw new Error(`no child process under ${pid}`);
  return Number(first);
}

/** Polls INFO until `field` has `value`. */
async function waitForInfo(call: Call, field: string, value: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const info = await call("INFO", "persistence");
    if (info.includes(`${field}:${value}\r\n`)) return;
    await sleep(20);
  }
  throw new Error(`${field} never became ${value}`);
}

describe.skipIf(SKIP_WITHOUT_REDIS)("AOF rewrite, as redis-server 7.0", () => {
  it("a killed rewrite still leaves its new incr; aof-disable-auto-gc no collects history at once; DEBUG LOADAOF leaves nothing to save", async () => {
    const transcripts = await onBothServers(
      ["--appendonly", "yes", "--enable-debug-command", "yes", "--auto-aof-rewrite-percentage", "0"],
      async ({ server, note, open }) => {
        // Replies are not recorded (INFO differs between servers); the notes are the transcript.
        const { connection } = await open("");
        const call: Call = async (...argv) => {
          const reply = await connection.call(...argv);
          return "value" in reply ? String(reply.value) : reply.type;
        };
        const manifest = (): string =>
          readFileSync(join(server.dir, "appendonlydir", "appendonly.aof.manifest"), "latin1").trim();
        await waitForInfo(call, "aof_rewrite_in_progress", "0");
        await call("SET", "k", "v");
        await call("CONFIG", "SET", "rdb-key-save-delay", "10000000");
        for (let round = 0; round < 3; round += 1) {
          note(`BGREWRITEAOF -> ${await call("BGREWRITEAOF")}`);
          process.kill(childOf(server.pid), "SIGKILL");
          await waitForInfo(call, "aof_rewrite_in_progress", "0");
        }
        note(`after 3 killed rewrites:\n${manifest()}`);
        await call("CONFIG", "SET", "rdb-key-save-delay", "0");
        await call("CONFIG", "SET", "aof-disable-auto-gc", "yes");
        for (let round = 0; round < 2; round += 1) {
          await call("BGREWRITEAOF");
          await waitForInfo(call, "aof_rewrite_in_progress", "0");
        }
        note(`with auto gc off:\n${manifest()}`);
        await call("CONFIG", "SET", "aof-disable-auto-gc", "no");
        note(`right after auto gc on:\n${manifest()}`);
        await call("SET", "k2", "v2");
        await call("DEBUG", "LOADAOF");
        const info = await call("INFO", "persistence");
        note(/rdb_changes_since_last_save:\d+/.exec(info)?.[0] ?? "no field");
      },
    );
    expect(transcripts.engine).toEqual(transcripts.redis);
    expect(transcripts.engine).toContain(
      "after 3 killed rewrites:\nfile appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" +
        "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\nfile appendonly.aof.4.incr.aof seq 4 type i",
    );
    expect(transcripts.engine).toContain(
      "right after auto gc on:\nfile appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.6.incr.aof seq 6 type i",
    );
    expect(transcripts.engine).toContain("rdb_changes_since_last_save:0");
  });
});
