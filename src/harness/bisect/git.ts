// The git commands bisect needs, run synchronously with hooks disabled (a user's post-checkout hook must not
// write into their repository while we check out commits): resolve revisions, add/remove worktrees, bisect.
import { execFileSync } from "node:child_process";
import { HarnessError } from "../shared/errors.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";

// Options every git call gets: no hooks, no pager, no prompts.
const BASE_ARGS = ["-c", "core.hooksPath=/dev/null", "-c", "advice.detachedHead=false"];

/** Locale variables set to C for git, so that its messages (parsed by git-outcome.ts) are in English. */
export const GIT_LOCALE = { LC_ALL: "C", LANGUAGE: "C" } as const;

/** Runs git in cwd and returns its trimmed stdout; throws an Error with git's stderr on failure. */
export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync("git", [...BASE_ARGS, ...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...GIT_LOCALE, GIT_TERMINAL_PROMPT: "0" },
    }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}

/** The top of the repository holding path; a HarnessError when it is not a git repository. */
export function findRepoTop(path: string): string {
  try {
    return git(path, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new HarnessError(`--repo ${path} is not a git repository`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "pass the checkout of the engine's source (the folder holding .git)",
    });
  }
}

/** The full hash of a revision; a HarnessError naming the option when it does not resolve. */
export function resolveCommit(repo: string, rev: string, option: string): string {
  try {
    return git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  } catch {
    throw new HarnessError(`${option} ${rev} is not a commit of ${repo}`, {
      exitCode: EXIT_CODES.USAGE,
      hint: "use a hash, tag or branch that `git log` shows",
    });
  }
}

/** Whether ancestor is an ancestor of (or equal to) descendant. */
export function isAncestor(repo: string, ancestor: string, descendant: string): boolean {
  try {
    git(repo, ["merge-base", "--is-ancestor", ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

/** The subject line of a commit. */
export function commitSubject(repo: string, commit: string): string {
  return git(repo, ["log", "-1", "--format=%s", commit]);
}

/** Adds a detached worktree of repo at path, checked out at commit. */
export function addWorktree(repo: string, path: string, commit: string): void {
  git(repo, ["worktree", "add", "--detach", "--force", path, commit]);
}

/** Removes a worktree (ignoring one already gone) and prunes the repository's worktree list. */
export function removeWorktree(repo: string, path: string): void {
  try {
    git(repo, ["worktree", "remove", "--force", "--force", path]);
  } catch {
    // Already removed or never added: prune below drops any stale entry.
  }
  try {
    git(repo, ["worktree", "prune"]);
  } catch {
    // Nothing to prune.
  }
}
