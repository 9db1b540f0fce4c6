// `persistlab report <results.json>`: (re-)render report.html, print the terminal summary, write the markdown
// summary (to --markdown FILE and to $GITHUB_STEP_SUMMARY when set).
import { existsSync, statSync, writeFileSync } from "node:fs";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import type { Argv, CommandModule } from "yargs";
import { renderReport } from "../report/html.ts";
import { renderMarkdown, writeStepSummary } from "../report/markdown.ts";
import { readResults } from "../report/read-results.ts";
import { renderTerminalSummary } from "../report/terminal.ts";
import { renderVerdictSummary } from "./verdict-summary.ts";
import { dirname, join } from "node:path";
import { withHelpEpilogue, type Example } from "./help.ts";

/** Arguments of `report`. */
interface ReportArgs {
  results: string;
  out?: string | undefined;
  markdown?: string | undefined;
  summary: boolean;
}

/** Examples shown by `report --help`. */
export const REPORT_EXAMPLES: readonly Example[] = [
  ["persistlab report reports/smoke/2026-11-24T14-10-00/results.json", "re-render the report of a run"],
];

/** Where report.html goes: --out as a file, or inside --out when it names an existing directory. */
export function resolveReportPath(out: string | undefined, resultsPath: string): string {
  if (out === undefined) return join(dirname(resultsPath), "report.html");
  if (existsSync(out) && statSync(out).isDirectory()) return join(out, "report.html");
  if (!existsSync(dirname(out) === "" ? "." : dirname(out))) {
    throw new HarnessError(`report: the folder of --out ${out} does not exist`, {
      exitCode: EXIT_CODES.USAGE,
      hint: `create it first (mkdir -p ${dirname(out)}) or name an existing folder`,
    });
  }
  return out;
}

/** The `report` command module. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <results>",
  describe: "Render report.html (self-contained, offline) and the markdown/terminal summaries from a results.json",
  builder: (yargs: Argv) =>
    withHelpEpilogue(
      yargs
        .positional("results", {
          type: "string",
          demandOption: true,
          describe: "results.json written by `persistlab run`",
        })
        .option("out", { type: "string", describe: "HTML file to write (default: report.html beside results.json)" })
        .option("markdown", { type: "string", describe: "also write the markdown summary to this file" })
        .option("summary", {
          type: "boolean",
          default: true,
          describe: "print the terminal summary (--no-summary to hide)",
        }),
      REPORT_EXAMPLES,
    ) as unknown as Argv<ReportArgs>,
  handler: (args) => {
    const results = readResults(args.results);
    const out = resolveReportPath(args.out, args.results);
    writeFileSync(out, renderReport(results));
    const markdown = renderMarkdown(results);
    if (args.markdown !== undefined) writeFileSync(args.markdown, markdown);
    const wroteStep = writeStepSummary(markdown);
    if (args.summary) process.stdout.write(`${renderTerminalSummary(results)}\n${renderVerdictSummary(results)}\n`);
    process.stdout.write(`report: ${out}${wroteStep ? " (markdown summary added to $GITHUB_STEP_SUMMARY)" : ""}\n`);
  },
};
