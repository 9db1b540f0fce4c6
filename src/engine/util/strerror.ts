// strerror(3) texts for the errno codes Node reports, so log lines read as Redis's do
// ("stat: No such file or directory"); unknown codes fall back to Node's message.

const TEXTS: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  EEXIST: "File exists",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  ENOSPC: "No space left on device",
  EIO: "Input/output error",
  EDQUOT: "Disk quota exceeded",
  EBADF: "Bad file descriptor",
  EROFS: "Read-only file system",
  EFBIG: "File too large",
  EMFILE: "Too many open files",
  ENAMETOOLONG: "File name too long",
};

/** The C library's text for a Node error's errno code (or the error's own message). */
export function strerror(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && TEXTS[code] !== undefined) return TEXTS[code];
  return error instanceof Error ? error.message : String(error);
}

/** The C library's text for an errno code name such as "ENOSPC" (the code itself when unknown). */
export function strerrorOfCode(code: string): string {
  return TEXTS[code] ?? code;
}
