// The one error of RDB reading: what was wrong, in which file, at which byte offset.

/** A corrupt, truncated or unsupported RDB file. The message names the file, the offset and the reason. */
export class RdbFormatError extends Error {
  override readonly name = "RdbFormatError";
  /** The file (or a label such as "AOF preamble of appendonly.aof.1.base.rdb"). */
  readonly file: string;
  /** Byte offset from the start of the RDB where the problem was found. */
  readonly offset: number;
  /** What was wrong, without the file and offset. */
  readonly reason: string;
  /** For a CRC64 mismatch: the checksum the data gives and the one the file's trailer says. */
  readonly checksumMismatch: { readonly computed: bigint; readonly stored: bigint } | undefined;

  /** True when the file is sound but holds what the engine cannot keep (a function library). */
  readonly unsupported: boolean;

  constructor(options: {
    file: string;
    offset: number;
    reason: string;
    checksumMismatch?: { computed: bigint; stored: bigint } | undefined;
    unsupported?: boolean;
  }) {
    super(
      options.unsupported === true
        ? `RDB file ${options.file} at byte offset ${options.offset} ${options.reason}`
        : `Bad RDB file ${options.file} at byte offset ${options.offset}: ${options.reason}`,
    );
    this.unsupported = options.unsupported === true;
    this.file = options.file;
    this.offset = options.offset;
    this.reason = options.reason;
    this.checksumMismatch = options.checksumMismatch;
  }
}

/** A structural problem found while reading a byte range; the loader adds the file and offset. */
export class RdbDecodeProblem extends Error {
  override readonly name = "RdbDecodeProblem";
  /** Absolute offset of the problem when known (else the loader uses the current position). */
  readonly offset: number | undefined;

  constructor(reason: string, offset?: number) {
    super(reason);
    this.offset = offset;
  }
}
