// Quoting of manifest file names as Redis does it: sdscatrepr() to quote a name that needs it (lines
// are read back into words by util/split-args.ts, Redis's sdssplitargs()).

const isSpace = (char: string): boolean =>
  char === " " || char === "\n" || char === "\r" || char === "\t" || char === "\v" || char === "\f";
// C isprint() in the "C" locale: 0x20..0x7e.
const isPrintable = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/** Whether a name must be quoted in the manifest (sdsneedsrepr()). */
export function needsQuoting(name: string): boolean {
  for (let index = 0; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (code === 0x5c || code === 0x22 || !isPrintable(code) || isSpace(name[index] as string)) return true;
  }
  return false;
}

/** Quotes a name like sdscatrepr(): "..." with \\, \", \n, \r, \t, \a, \b and \xHH escapes. */
export function quoteName(name: string): string {
  let out = '"';
  for (let index = 0; index < name.length; index += 1) {
    const char = name[index] as string;
    const code = name.charCodeAt(index);
    if (char === "\\" || char === '"') out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (isPrintable(code)) out += char;
    else out += "\\x" + code.toString(16).padStart(2, "0");
  }
  return out + '"';
}
