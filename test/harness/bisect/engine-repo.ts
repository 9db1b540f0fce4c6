// Test helper: a real git repository in a temp dir whose commits change an engine wrapper (a shell script that
// execs Debian's redis-server with extra flags, "built" by copying it to out/engine): a change below the noise
// (--hz 11), a commit that does not build, its fix, every write fsynced (appendfsync always), a comment, the
// AOF turned off while the strategy still acknowledges writes (they are lost on SIGKILL), a comment.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The repository and its commits by name. */
export interface EngineRepo {
  dir: string;
  commits: Record<CommitName, string>;
}

/** The commits, oldest first. */
export type CommitName =
  | "base"
  | "hz"
  | "brokenBuild"
  | "fixBuild"
  | "fsyncAlways"
  | "comment"
  | "dropAof"
  | "comment2";

const BUILD_OK = "#!/bin/sh\nset -e\nmkdir -p out\ncp engine.sh out/engine\nchmod +x out/engine\n";
const wrapper = (flags: string): string => `#!/bin/sh\nexec redis-server "$@"${flags === "" ? "" : ` ${flags}`}\n`;

// What each commit writes, in order.
const HISTORY: Array<[CommitName, string, Record<string, string>]> = [
  ["base", "base: plain redis-server", { "engine.sh": wrapper(""), "build.sh": BUILD_OK, ".gitignore": "out/\n" }],
  ["hz", "tune hz (no measurable change)", { "engine.sh": wrapper("--hz 11") }],
  ["brokenBuild", "break the build", { "build.sh": "#!/bin/sh\nset -e\nmkdir -p out\ncp engin.sh out/engine\n" }],
  ["fixBuild", "fix the build", { "build.sh": BUILD_OK }],
  ["fsyncAlways", "fsync every write", { "engine.sh": wrapper("--hz 11 --appendfsync always") }],
  ["comment", "comment", { "build.sh": `${BUILD_OK}# notes\n` }],
  [
    "dropAof",
    "skip the AOF (acknowledges writes it never keeps)",
    { "engine.sh": wrapper("--hz 11 --appendfsync always --appendonly no") },
  ],
  ["comment2", "comment 2", { "build.sh": `${BUILD_OK}# more notes\n` }],
];

// git in dir with a fixed identity.
function git(dir: string, args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.invalid",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.invalid",
    },
  }).trim();
}

/** Creates the repository. */
export function createEngineRepo(): EngineRepo {
  const dir = mkdtempSync(join(tmpdir(), "persistlab-bisect-repo-"));
  git(dir, ["init", "-q", "-b", "main"]);
  const commits = {} as Record<CommitName, string>;
  for (const [name, subject, files] of HISTORY) {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", subject]);
    commits[name] = git(dir, ["rev-parse", "HEAD"]);
  }
  return { dir, commits };
}

/** Everything about the repository a bisect must leave as it was. */
export function snapshotRepo(dir: string): Record<string, string> {
  return {
    head: git(dir, ["rev-parse", "HEAD"]),
    branch: git(dir, ["symbolic-ref", "HEAD"]),
    status: git(dir, ["status", "--porcelain", "--ignored", "--untracked-files=all"]),
    diff: git(dir, ["diff"]),
    worktrees: git(dir, ["worktree", "list", "--porcelain"]),
    refs: git(dir, ["for-each-ref"]),
    gitDir: execFileSync("ls", ["-A", join(dir, ".git")], { encoding: "utf8" }),
  };
}
