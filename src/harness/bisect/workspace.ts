// The session's scratch space outside the user's repository: a temp folder holding detached worktrees of the
// user's repo (good end, bad end, and the one git bisect moves through). cleanup() is synchronous and idempotent
// (it also runs from a process 'exit' hook on a forced exit): it resets the bisect, removes the worktrees and the
// folder, so the user's repository is left as it was (HEAD, branch, working tree, worktree list, refs). `git
// bisect start` writes an empty packed-refs file into a repository that had none: that one is removed too.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addWorktree, git, removeWorktree } from "./git.ts";

/** The checkouts a session uses. */
export type CheckoutName = "good" | "bad" | "bisect";

/** A session's scratch space. */
export interface Workspace {
  dir: string;
  checkout(name: CheckoutName): string;
  /** Adds the named worktree at commit. */
  addCheckout(name: CheckoutName, commit: string): string;
  /** Marks that git bisect was started in the bisect checkout (cleanup resets it). */
  markBisecting(): void;
  cleanup(): void;
}

// Removes packed-refs when it holds no ref (only git's header comment) and did not exist before the session.
function removeEmptyPackedRefs(file: string): void {
  try {
    if (
      readFileSync(file, "utf8")
        .split("\n")
        .every((line) => line.trim() === "" || line.startsWith("#"))
    )
      rmSync(file, { force: true });
  } catch {
    // Absent: nothing to do.
  }
}

/** Creates the scratch folder for repo and installs the exit hook that cleans it up. */
export function createWorkspace(repo: string): Workspace {
  const packedRefs = join(git(repo, ["rev-parse", "--path-format=absolute", "--git-common-dir"]), "packed-refs");
  const hadPackedRefs = existsSync(packedRefs);
  const dir = mkdtempSync(join(tmpdir(), "persistlab-bisect-"));
  const added: string[] = [];
  let bisecting = false;
  let cleaned = false;
  const checkout = (name: CheckoutName): string => join(dir, name);
  const cleanup = (): void => {
    if (cleaned) return;
    cleaned = true;
    process.off("exit", cleanup);
    if (bisecting) {
      try {
        git(checkout("bisect"), ["bisect", "reset"]);
      } catch {
        // The worktree removal below drops the bisect state with it.
      }
    }
    for (const path of added.reverse()) removeWorktree(repo, path);
    if (!hadPackedRefs) removeEmptyPackedRefs(packedRefs);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", cleanup);
  return {
    dir,
    checkout,
    addCheckout: (name, commit) => {
      const path = checkout(name);
      added.push(path);
      addWorktree(repo, path, commit);
      return path;
    },
    markBisecting: () => {
      bisecting = true;
    },
    cleanup,
  };
}
