// Reads how `git bisect run` ended from its standard output: the first bad commit, or the commits it could not
// tell apart because some were skipped. Pure. (Messages of git 2.x's builtin bisect.)

/** How git's bisection ended. */
export type GitBisectOutcome =
  | { status: "found"; commit: string }
  | { status: "ambiguous"; candidates: string[] }
  | { status: "unknown" };

/** Parses git bisect run's stdout. */
export function parseGitBisectOutcome(stdout: string): GitBisectOutcome {
  const found = /^([0-9a-f]{40}) is the first bad commit$/m.exec(stdout);
  if (found !== null) return { status: "found", commit: found[1]! };
  const skipped =
    /only 'skip'ped commits left to test\.\s*\nThe first bad commit could be any of:\n((?:[0-9a-f]{40}\n?)+)/.exec(
      stdout,
    );
  if (skipped !== null)
    return {
      status: "ambiguous",
      candidates: skipped[1]!
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== ""),
    };
  return { status: "unknown" };
}
