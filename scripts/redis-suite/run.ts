// `npm run test:redis-suite [UNIT...]`: runs Redis 7.0.15's own test units (fetched at run time from
// Debian's source package, cached outside the repository) against the built engine and against
// Debian's /usr/bin/redis-server, prints passed / failed / skipped per unit side by side, and exits
// non-zero when the engine fails any test.
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { formatTable, runSuite } from "./suite.ts";
import type { TargetName } from "./targets.ts";
import { DEFAULT_UNITS, PERSISTENCE_UNITS } from "./units.ts";

const argv = await yargs(hideBin(process.argv))
  .scriptName("test:redis-suite")
  .usage("$0 [UNIT...]  (default: the 22 units of issue 24)")
  .option("target", { choices: ["both", "engine", "redis-server"] as const, default: "both" as const })
  .option("persistence", { type: "boolean", default: false, describe: "run only the persistence units" })
  .option("timeout", { type: "number", default: 300, describe: "runtest --timeout (seconds without progress)" })
  .option("port-offset", {
    type: "number",
    default: 0,
    describe: "added to runtest's base ports (21111 engine, 23111 redis-server)",
  })
  .option("keep", { type: "boolean", default: false, describe: "keep the per-target test trees" })
  .strictOptions()
  .parse();

const named = argv._.map(String);
const units = named.length > 0 ? named : argv.persistence ? PERSISTENCE_UNITS : DEFAULT_UNITS;
const targets: TargetName[] = argv.target === "both" ? ["engine", "redis-server"] : [argv.target];
const log = (line: string): void => void process.stdout.write(`${line}\n`);

try {
  const results = await runSuite({
    units,
    targets,
    log,
    keepTrees: argv.keep,
    basePortOffset: argv["port-offset"],
    timeoutSeconds: argv.timeout,
    onUnit: (target, result) => {
      log(
        `${target.padEnd(12)} ${result.unit}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${result.seconds.toFixed(0)}s, log ${result.logFile})`,
      );
      for (const failure of result.failures) log(`    ${failure}`);
      for (const failure of result.upstream) log(`    (upstream) ${failure}`);
    },
  });
  log("");
  log(formatTable(units, targets, results));
  const engineFailed = results.engine.some((result) => result.failed > 0);
  process.exitCode = engineFailed ? 1 : 0;
} catch (error) {
  process.stderr.write(`test:redis-suite: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
