// Why the AOF refused to load: the file, the byte offset and the operator's fix, as Redis logs them;
// and the error that ends a cancelled rewrite.

/** Refusal to start from the AOF (corruption, a truncated tail that may not be repaired, missing files). */
export class AofLoadError extends Error {
  override readonly name = "AofLoadError";
  /** The AOF file concerned (a name inside the AOF directory), or the manifest. */
  readonly file: string;
  /** Byte offset of the problem in that file, when known. */
  readonly offset: number | null;
  /** What to do about it. */
  readonly hint: string;

  constructor(options: { file: string; offset?: number | null; reason: string; hint: string }) {
    const where =
      options.offset === undefined || options.offset === null
        ? options.file
        : `${options.file} at byte offset ${options.offset}`;
    super(`Bad AOF ${where}: ${options.reason}. ${options.hint}`);
    this.file = options.file;
    this.offset = options.offset ?? null;
    this.hint = options.hint;
  }
}

/** The repair hint for a corrupt or truncated AOF. */
export function repairHint(manifestPath: string): string {
  return `Make a backup of your AOF directory, then run \`persistlab check-aof --fix ${manifestPath}\` (redis-check-aof --fix works too)`;
}

/** Thrown when the rewrite was cancelled (appendonly no, shutdown). */
export class RewriteCancelledError extends Error {
  override readonly name = "RewriteCancelledError";
}
