// `persistlab probe-disk`: the raw write+fdatasync latency of a directory's disk (the physical fsync floor).
import { tmpdir } from "node:os";
import type { Argv, CommandModule } from "yargs";
import { probeDisk } from "../probe/disk.ts";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `probe-disk`. */
interface ProbeArgs {
  dir: string;
  samples: number;
  "block-bytes": number;
  json: boolean;
}

/** Examples shown by `probe-disk --help`. */
export const PROBE_DISK_EXAMPLES: readonly Example[] = [
  ["persistlab probe-disk", "probe the temp dir's disk"],
  ["persistlab probe-disk --dir /var/lib/redis --samples 2000 --json", "probe a data disk, JSON output"],
];

/** The `probe-disk` command module. */
export const probeDiskCommand: CommandModule<object, ProbeArgs> = {
  command: "probe-disk",
  describe: "Measure write+fdatasync latency of small blocks on a directory's disk",
  builder: (yargs: Argv) => withHelpEpilogue(yargs
    .option("dir", { type: "string", default: tmpdir(), describe: "directory on the disk to probe (engine data dirs live under the OS temp dir)" })
    .option("samples", { type: "number", default: 500, describe: "number of write+fdatasync pairs" })
    .option("block-bytes", { type: "number", default: 4096, describe: "bytes written before each fdatasync" })
    .option("json", { type: "boolean", default: false, describe: "print JSON" }), PROBE_DISK_EXAMPLES) as unknown as Argv<ProbeArgs>,
  handler: (args) => {
    const floor = probeDisk({ dir: args.dir, samples: Math.max(1, Math.min(1_000_000, Math.floor(args.samples))), blockBytes: Math.max(1, Math.floor(args["block-bytes"])) });
    if (args.json) process.stdout.write(JSON.stringify(floor, null, 2) + "\n");
    else process.stdout.write(`fdatasync floor of ${floor.path} (${floor.samples} × ${floor.blockBytes} B): p50 ${floor.p50Us} µs, p90 ${floor.p90Us} µs, p99 ${floor.p99Us} µs, max ${floor.maxUs} µs, mean ${floor.meanUs} µs\n`);
  },
};
