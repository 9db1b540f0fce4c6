// `persistlab probe-disk`: the raw write+fdatasync latency of a directory's disk (the physical fsync floor).
import { tmpdir } from "node:os";
import type { Argv, CommandModule } from "yargs";
import { probeDisk } from "../probe/disk.ts";
import type { DiskFloor } from "../results/schema.ts";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { requireExistingPath } from "./input-file.ts";
import { integerOption } from "./option-values.ts";
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
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .option("dir", {
          type: "string",
          default: tmpdir(),
          describe: "directory on the disk to probe (engine data dirs live under the OS temp dir)",
        })
        .option("samples", {
          type: "string",
          default: "500",
          coerce: integerOption("samples", { min: 1, max: 1_000_000, example: "--samples 2000" }),
          describe: "number of write+fdatasync pairs (1 to 1,000,000)",
        })
        .option("block-bytes", {
          type: "string",
          default: "4096",
          coerce: integerOption("block-bytes", { min: 1, max: 64 * 1024 * 1024, example: "--block-bytes 4096" }),
          describe: "bytes written before each fdatasync",
        })
        .option("json", { type: "boolean", default: false, describe: "print JSON" }),
      PROBE_DISK_EXAMPLES,
    ) as unknown as Argv<ProbeArgs>,
  handler: (args) => {
    requireExistingPath(args.dir, {
      kind: "directory",
      command: "probe-disk",
      hint: "pass an existing directory on the disk to probe, e.g. --dir /var/lib/redis",
    });
    let floor: DiskFloor;
    try {
      floor = probeDisk({ dir: args.dir, samples: args.samples, blockBytes: args["block-bytes"] });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      throw new HarnessError(`probe-disk: cannot write a probe file in ${args.dir}: ${code}`, {
        exitCode:
          code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "ENOSPC"
            ? EXIT_CODES.FILE_NOT_FOUND
            : EXIT_CODES.INTERNAL,
        hint: "pass a directory you can write to on the disk to probe (--dir)",
      });
    }
    if (args.json) process.stdout.write(JSON.stringify(floor, null, 2) + "\n");
    else
      process.stdout.write(
        `fdatasync floor of ${floor.path} (${floor.samples} × ${floor.blockBytes} B): p50 ${floor.p50Us} µs, p90 ${floor.p90Us} µs, p99 ${floor.p99Us} µs, max ${floor.maxUs} µs, mean ${floor.meanUs} µs\n`,
      );
  },
};
