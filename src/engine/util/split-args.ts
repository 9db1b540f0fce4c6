// Redis's sdssplitargs: a line split into words, with double quotes (\xHH and \n-style escapes),
// single quotes (\' inside) and the rule that a closing quote is followed by a space or the end.
// One splitter for the three readers that need it: inline commands (resp/parser.ts), config files
// and --directive arguments (config/load-config.ts) and AOF manifest lines (persistence/aof/manifest.ts).

/** Splits a line into arguments like Redis's sdssplitargs; null on unbalanced quotes or a closing quote not followed by a space. */
export function splitArgs(line: string): string[] | null {
  const result: string[] = [];
  let index = 0;
  const length = line.length;
  for (;;) {
    while (index < length && isSpace(line.charCodeAt(index))) index += 1;
    if (index >= length) return result;
    let current = "";
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (index >= length) return null;
        const ch = line[index] ?? "";
        if (ch === "\\" && line[index + 1] === "x" && isHex(line[index + 2]) && isHex(line[index + 3])) {
          current += String.fromCharCode(parseInt(line.slice(index + 2, index + 4), 16));
          index += 3;
        } else if (ch === "\\" && index + 1 < length) {
          index += 1;
          const escaped = line[index] ?? "";
          current += ESCAPES[escaped] ?? escaped;
        } else if (ch === '"') {
          if (index + 1 < length && !isSpace(line.charCodeAt(index + 1))) return null;
          done = true;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (index >= length) return null;
        const ch = line[index] ?? "";
        if (ch === "\\" && line[index + 1] === "'") {
          index += 1;
          current += "'";
        } else if (ch === "'") {
          if (index + 1 < length && !isSpace(line.charCodeAt(index + 1))) return null;
          done = true;
        } else {
          current += ch;
        }
      } else {
        if (index >= length) {
          done = true;
          break;
        }
        const ch = line[index] ?? "";
        const code = ch.charCodeAt(0);
        // Inside a word only space, \n, \r and \t end it (\v and \f do not), as in sdssplitargs.
        if (code === 32 || code === 10 || code === 13 || code === 9) {
          done = true;
        } else if (ch === '"') {
          inDouble = true;
        } else if (ch === "'") {
          inSingle = true;
        } else {
          current += ch;
        }
      }
      index += 1;
    }
    result.push(current);
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}
