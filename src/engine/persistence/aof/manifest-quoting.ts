// Quoting of manifest file names as Redis does it: sdssplitargs() to read a line into words (double
// quotes with \xHH and \n-style escapes, single quotes) and sdscatrepr() to quote a name that needs it.

const isSpace = (char: string): boolean => char === " " || char === "\n" || char === "\r" || char === "\t" || char === "\v" || char === "\f";
const isHexDigit = (char: string | undefined): boolean => char !== undefined && /^[0-9a-fA-F]$/.test(char);
// C isprint() in the "C" locale: 0x20..0x7e.
const isPrintable = (code: number): boolean => code >= 0x20 && code <= 0x7e;

/** Splits a line into words like sdssplitargs(); null on unbalanced quotes or a quote not followed by a space. */
export function splitArgs(line: string): string[] | null {
  const words: string[] = [];
  let index = 0;
  const length = line.length;
  for (;;) {
    while (index < length && isSpace(line[index] as string)) index += 1;
    if (index >= length) return words;
    let inDouble = false;
    let inSingle = false;
    let current = "";
    for (;;) {
      const char = line[index];
      if (inDouble) {
        if (char === "\\" && line[index + 1] === "x" && isHexDigit(line[index + 2]) && isHexDigit(line[index + 3])) {
          current += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
          index += 4;
          continue;
        }
        if (char === "\\" && index + 1 < length) {
          const escaped = line[index + 1] as string;
          const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };
          current += map[escaped] ?? escaped;
          index += 2;
          continue;
        }
        if (char === '"') {
          if (index + 1 < length && !isSpace(line[index + 1] as string)) return null;
          index += 1;
          break;
        }
        if (char === undefined) return null;
        current += char;
        index += 1;
      } else if (inSingle) {
        if (char === "\\" && line[index + 1] === "'") {
          current += "'";
          index += 2;
          continue;
        }
        if (char === "'") {
          if (index + 1 < length && !isSpace(line[index + 1] as string)) return null;
          index += 1;
          break;
        }
        if (char === undefined) return null;
        current += char;
        index += 1;
      } else {
        if (char === undefined || char === " " || char === "\n" || char === "\r" || char === "\t") {
          if (char !== undefined) index += 1;
          break;
        }
        if (char === '"') inDouble = true;
        else if (char === "'") inSingle = true;
        else current += char;
        index += 1;
      }
    }
    words.push(current);
  }
}

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
