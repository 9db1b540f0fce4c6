// Value syntax of Redis 7.0 directives: memory units, integers with exact 64-bit bounds, octal,
// memory-or-percent, multi-word enums (flags), and the special forms (client-output-buffer-limit,
// oom-score-adj-values, notify-keyspace-events, replicaof, latency-tracking-info-percentiles).
// Each parser returns a value or Redis's error text; formatters print what CONFIG GET shows.

/** A parsed value, or the error text Redis gives for it. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** C limits as JS numbers (the 64-bit ones round; exactBound gives their exact value). */
export const INT_MAX = 2 ** 31 - 1;
export const INT_MIN = -(2 ** 31);
export const UINT_MAX = 2 ** 32 - 1;
export const LONG_MAX = 2 ** 63; // stands for 9223372036854775807
export const ULLONG_MAX = 2 ** 64; // stands for 18446744073709551615

/** The exact integer a bound stands for (LONG_MAX and ULLONG_MAX are not representable as numbers). */
export function exactBound(bound: number): bigint {
  if (bound === LONG_MAX) return 2n ** 63n - 1n;
  if (bound === -LONG_MAX) return -(2n ** 63n);
  if (bound === ULLONG_MAX) return 2n ** 64n - 1n;
  return BigInt(bound);
}

/** Redis's strict integer syntax (string2ll): optional '-', no '+', no leading zeros, no spaces. */
export function parseStrictInteger(text: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(text)) return null;
  const value = BigInt(text);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) return null;
  return value;
}

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n ** 2n,
  mb: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1024n ** 3n,
};

/** Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb; any case); null when malformed. */
export function parseMemoryBytes(text: string): bigint | null {
  const match = /^(\d+)([a-z]*)$/i.exec(text);
  if (match === null) return null;
  const factor = MEMORY_UNITS[(match[2] as string).toLowerCase()];
  if (factor === undefined) return null;
  const value = BigInt(match[1] as string) * factor;
  return value > 2n ** 64n - 1n ? null : value;
}

/** Checks an integer against bounds, with Redis's message. */
export function checkBounds(value: bigint, min: number, max: number): string | null {
  const low = exactBound(min);
  const high = exactBound(max);
  if (value < low || value > high) return `argument must be between ${low} and ${high} inclusive`;
  return null;
}

/** Parses an integer directive (string2ll, then bounds). */
export function parseIntegerValue(text: string, min: number, max: number): Parsed<bigint> {
  const value = parseStrictInteger(text);
  if (value === null) return fail("argument couldn't be parsed into an integer");
  const problem = checkBounds(value, min, max);
  return problem === null ? ok(value) : fail(problem);
}

/** Parses a memory directive (memtoull, then bounds). */
export function parseMemoryValue(text: string, min: number, max: number): Parsed<bigint> {
  const value = parseMemoryBytes(text);
  if (value === null) return fail("argument must be a memory value");
  const problem = checkBounds(value, min, max);
  return problem === null ? ok(value) : fail(problem);
}

/** Parses an octal directive (unixsocketperm). */
export function parseOctalValue(text: string, min: number, max: number): Parsed<bigint> {
  if (!/^[0-7]+$/.test(text)) return fail("argument couldn't be parsed as an octal number");
  const value = BigInt("0o" + text);
  const low = exactBound(min);
  const high = exactBound(max);
  if (value < low || value > high)
    return fail(`argument must be between ${low.toString(8)} and ${high.toString(8)} inclusive`);
  return ok(value);
}

/** Parses memory-or-percent (maxmemory-clients): "10%" is stored as -10. */
export function parseMemoryOrPercentValue(text: string, min: number, max: number): Parsed<bigint> {
  const bytes = parseMemoryBytes(text);
  let value: bigint;
  if (bytes !== null) value = bytes;
  else if (/^\d+%$/.test(text) && text.length > 1) value = -BigInt(text.slice(0, -1));
  else return fail("argument must be a memory or percent value");
  if (value < 0n) {
    if (value < exactBound(min)) return fail(`percentage argument must be less or equal to ${-exactBound(min)}`);
    return ok(value);
  }
  const problem = checkBounds(value, min, max);
  return problem === null ? ok(value) : fail(problem);
}

/** Formats memory-or-percent as CONFIG GET does. */
export function formatMemoryOrPercent(value: bigint | number): string {
  const big = BigInt(value);
  return big < 0n ? `${-big}%` : String(big);
}

/** Redis's yes/no (case-insensitive). */
export function parseYesNo(text: string): Parsed<boolean> {
  const lower = text.toLowerCase();
  if (lower === "yes") return ok(true);
  if (lower === "no") return ok(false);
  return fail("argument must be 'yes' or 'no'");
}

function enumError(values: readonly string[]): string {
  return `argument(s) must be one of the following: ${values.join(", ")}`;
}

/** One enum word (case-insensitive) → its canonical spelling. */
export function parseEnumValue(
  text: string,
  values: readonly string[],
  canonical?: Readonly<Record<string, string>>,
): Parsed<string> {
  const lower = text.toLowerCase();
  if (!values.includes(lower)) return fail(enumError(values));
  return ok(canonical?.[lower] ?? lower);
}

/**
 * A multi-word enum (shutdown-on-sigterm "save now"): every word must be one of `values`; the result
 * is printed in table order, `defaultWord` when empty. SAVE with NOSAVE is refused as Redis does.
 */
export function parseFlagsValue(
  words: readonly string[],
  values: readonly string[],
  defaultWord: string,
): Parsed<string> {
  if (words.length === 0) return fail(enumError(values));
  const chosen = new Set<string>();
  for (const word of words) {
    const lower = word.toLowerCase();
    if (!values.includes(lower)) return fail(enumError(values));
    if (lower !== defaultWord) chosen.add(lower);
  }
  if (chosen.has("save") && chosen.has("nosave"))
    return fail("shutdown options SAVE and NOSAVE can't be used simultaneously");
  const ordered = values.filter((value) => chosen.has(value));
  return ok(ordered.length === 0 ? defaultWord : ordered.join(" "));
}

/** A file or directory name without a path separator (dbfilename, appendfilename, appenddirname). */
export function isBaseName(text: string): boolean {
  return !text.includes("/") && !text.includes("\\");
}

// --- client-output-buffer-limit -----------------------------------------------------------------

/** One class's limits. */
export interface OutputBufferLimit {
  readonly hard: bigint;
  readonly soft: bigint;
  readonly softSeconds: bigint;
}

const BUFFER_CLASSES = ["normal", "slave", "pubsub"] as const;
const CLASS_BY_NAME: Readonly<Record<string, (typeof BUFFER_CLASSES)[number]>> = {
  normal: "normal",
  slave: "slave",
  replica: "slave",
  pubsub: "pubsub",
};

/** Redis's defaults for client-output-buffer-limit. */
export const DEFAULT_OUTPUT_BUFFER_LIMITS = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

/** Parses `<class> <hard> <soft> <seconds>...` and merges it into the current value (classes not named keep theirs). */
export function parseOutputBufferLimits(words: readonly string[], current: string): Parsed<string> {
  if (words.length % 4 !== 0) return fail("Wrong number of arguments in buffer limit configuration.");
  const limits = new Map<string, OutputBufferLimit>();
  const currentWords = current.split(" ");
  for (let index = 0; index + 3 < currentWords.length; index += 4) {
    limits.set(currentWords[index] as string, {
      hard: BigInt(currentWords[index + 1] as string),
      soft: BigInt(currentWords[index + 2] as string),
      softSeconds: BigInt(currentWords[index + 3] as string),
    });
  }
  const updates = new Map<string, OutputBufferLimit>();
  for (let index = 0; index < words.length; index += 4) {
    const bufferClass = CLASS_BY_NAME[(words[index] as string).toLowerCase()];
    if (bufferClass === undefined) return fail("Invalid client class specified in buffer limit configuration.");
    const hard = parseMemoryBytes(words[index + 1] as string);
    const soft = parseMemoryBytes(words[index + 2] as string);
    const seconds = /^-?\d+$/.test(words[index + 3] as string) ? BigInt(words[index + 3] as string) : null;
    if (hard === null || soft === null || seconds === null || seconds < 0n) {
      return fail("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    updates.set(bufferClass, { hard, soft, softSeconds: seconds });
  }
  for (const [name, limit] of updates) limits.set(name, limit);
  return ok(
    BUFFER_CLASSES.map((name) => {
      const limit = limits.get(name) ?? { hard: 0n, soft: 0n, softSeconds: 0n };
      return `${name} ${limit.hard} ${limit.soft} ${limit.softSeconds}`;
    }).join(" "),
  );
}

// --- oom-score-adj-values -------------------------------------------------------------------------

/** Three integers in [-2000, 2000]. */
export function parseOomScoreAdjValues(words: readonly string[]): Parsed<string> {
  if (words.length !== 3) return fail("wrong number of arguments");
  const values: bigint[] = [];
  for (const word of words) {
    const value = /^[-+]?\d+$/.test(word) ? BigInt(word) : null;
    if (value === null || value < -2000n || value > 2000n)
      return fail("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    values.push(value);
  }
  return ok(values.join(" "));
}

// --- notify-keyspace-events -----------------------------------------------------------------------

const TYPE_CLASSES = "g$lshzxetdn"; // the classes A stands for are these minus n
const ALL_CLASSES = new Set("g$lshzxetd");

/** Parses the class letters and prints them back in Redis's canonical order. */
export function parseKeyspaceEvents(words: readonly string[]): Parsed<string> {
  if (words.length !== 1) return fail("wrong number of arguments");
  const letters = new Set<string>();
  for (const letter of words[0] as string) {
    if (letter === "A") for (const each of ALL_CLASSES) letters.add(each);
    else if ("g$lshzxeKEtmdn".includes(letter)) letters.add(letter);
    else return fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }
  const all = [...ALL_CLASSES].every((letter) => letters.has(letter));
  let text = "";
  // As Redis: with every type class set only "A" is printed (a lone "n" is then not shown).
  if (all) {
    text = "A";
  } else {
    for (const letter of TYPE_CLASSES) if (letters.has(letter)) text += letter;
  }
  for (const letter of "KEm") if (letters.has(letter)) text += letter;
  return ok(text);
}

// --- replicaof ------------------------------------------------------------------------------------

/** `replicaof <host> <port>` or `replicaof no one` ("" when none). */
export function parseReplicaOf(words: readonly string[]): Parsed<string> {
  if (words.length !== 2) return fail("wrong number of arguments");
  const [host, port] = words as [string, string];
  if (host.toLowerCase() === "no" && port.toLowerCase() === "one") return ok("");
  if (!/^\d+$/.test(port) || Number(port) > 65535) return fail("Invalid master port");
  return ok(`${host} ${Number(port)}`);
}

// --- latency-tracking-info-percentiles ------------------------------------------------------------

/** Percentiles in [0, 100], printed like Redis's %f with trailing zeros trimmed. */
export function parsePercentiles(words: readonly string[]): Parsed<string> {
  if (words.length === 1 && words[0] === "") return ok("");
  const out: string[] = [];
  for (const word of words) {
    const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(word) ? Number(word) : Number.NaN;
    if (!Number.isFinite(value)) return fail("Invalid latency-tracking-info-percentiles parameters");
    if (value > 100 || value < 0)
      return fail("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    out.push(value.toFixed(6).replace(/\.?0+$/, ""));
  }
  return ok(out.join(" "));
}
