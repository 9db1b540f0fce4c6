// Names of the files in the AOF directory and around it, as Redis 7.0 builds them from appendfilename.

/** `appendonly.aof.<seq>.base.rdb` (RDB preamble) or `.base.aof` (commands). */
export function baseFileName(appendFilename: string, seq: number, rdbPreamble: boolean): string {
  return `${appendFilename}.${seq}.base.${rdbPreamble ? "rdb" : "aof"}`;
}

/** `appendonly.aof.<seq>.incr.aof`. */
export function incrFileName(appendFilename: string, seq: number): string {
  return `${appendFilename}.${seq}.incr.aof`;
}

/** `appendonly.aof.manifest`. */
export function manifestFileName(appendFilename: string): string {
  return `${appendFilename}.manifest`;
}

/** `temp-appendonly.aof.manifest`: written, fsynced, then renamed over the manifest. */
export function tempManifestFileName(appendFilename: string): string {
  return `temp-${appendFilename}.manifest`;
}

/** `temp-appendonly.aof.incr`: the incr written while AOF is being turned on (before its first base exists). */
export function tempIncrFileName(appendFilename: string): string {
  return `temp-${appendFilename}.incr`;
}

/** `temp-rewriteaof-bg-<pid>.aof` in `dir`: the new base while a rewrite writes it. */
export function rewriteTempFileName(pid: number): string {
  return `temp-rewriteaof-bg-${pid}.aof`;
}
