// `persistlab report <results.json>`: (re-)render report.html, print the terminal summary, write the markdown
// summary (to --markdown FILE and to $GITHUB_STEP_SUMMARY when set).
import { writeFileSync } from "node:fs";
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

/** The `report` command module. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <results>",
  describe: "Render report.html (self-contained, offline) and the markdown/terminal summaries from a results.json",
  builder: (yargs: Argv) => withHelpEpilogue(yargs
    .positional("results", { type: "string", demandOption: true, describe: "results.json written by `persistlab run`" })
    .option("out", { type: "string", describe: "HTML file to write (default: report.html beside results.json)" })
    .option("markdown", { type: "string", describe: "also write the markdown summary to this file" })
    .option("summary", { type: "boolean", default: true, describe: "print the terminal summary (--no-summary to hide)" }), REPORT_EXAMPLES) as unknown as Argv<ReportArgs>,
  handler: (args) => {
    const results = readResults(args.results);
    const out = args.out ?? join(dirname(args.results), "report.html");
    writeFileSync(out, renderReport(results));
    const markdown = renderMarkdown(results);
    if (args.markdown !== undefined) writeFileSync(args.markdown, markdown);
    const wroteStep = writeStepSummary(markdown);
    if (args.summary) process.stdout.write(`${renderTerminalSummary(results)}\n${renderVerdictSummary(results)}\n`);
    process.stdout.write(`report: ${out}${wroteStep ? " (markdown summary added to $GITHUB_STEP_SUMMARY)" : ""}\n`);
  },
};
