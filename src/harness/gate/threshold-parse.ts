// Parses k6-style threshold keys and expressions: key `latency{op:GET,strategy:aof-always}`,
// expression `p(99)<5`, `lost==0`, `opsPerSec>20000`. Pure.

/** A comparison operator of a threshold. */
export type ThresholdOperator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** A parsed threshold key: the metric group and its tag filters. */
export interface ThresholdKey {
  metric: string;
  /** `op` (latency by command) and `strategy` filters; others are rejected. */
  tags: Record<string, string>;
}

/** A parsed threshold expression: `name(argument) operator limit`. */
export interface ThresholdExpression {
  name: string;
  argument: number | undefined;
  operator: ThresholdOperator;
  limit: number;
}

const KEY_PATTERN = /^\s*([a-z][a-z0-9_.]*)\s*(?:\{([^}]*)\})?\s*$/i;
const EXPRESSION_PATTERN = /^\s*([a-z][a-z0-9_.]*)\s*(?:\(\s*([\d.]+)\s*\))?\s*(<=|>=|==|!=|<|>)\s*(-?[\d.]+)\s*$/i;

/** Parses `metric{tag:value,...}`; returns an error message instead when malformed. */
export function parseThresholdKey(text: string): ThresholdKey | string {
  const match = KEY_PATTERN.exec(text);
  if (match === null)
    return `malformed threshold key "${text}" (expected e.g. "latency" or "latency{op:GET,strategy:aof-always}")`;
  const tags: Record<string, string> = {};
  for (const part of (match[2] ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const colon = part.indexOf(":");
    if (colon <= 0) return `malformed tag "${part}" in "${text}" (expected name:value)`;
    const name = part.slice(0, colon).trim();
    if (name !== "op" && name !== "strategy") return `unknown tag "${name}" in "${text}" (tags: op, strategy)`;
    tags[name] = part.slice(colon + 1).trim();
  }
  return { metric: match[1]!, tags };
}

/** Parses `p(99)<5`; returns an error message instead when malformed. */
export function parseThresholdExpression(text: string): ThresholdExpression | string {
  const match = EXPRESSION_PATTERN.exec(text);
  if (match === null) return `malformed threshold "${text}" (expected e.g. "p(99)<5", "lost==0", "opsPerSec>20000")`;
  const limit = Number(match[4]);
  const argument = match[2] === undefined ? undefined : Number(match[2]);
  if (!Number.isFinite(limit) || (argument !== undefined && !Number.isFinite(argument)))
    return `malformed number in threshold "${text}"`;
  return { name: match[1]!, argument, operator: match[3] as ThresholdOperator, limit };
}

/** Whether `value operator limit` holds. */
export function compareWithLimit(value: number, operator: ThresholdOperator, limit: number): boolean {
  switch (operator) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "==":
      return value === limit;
    case "!=":
      return value !== limit;
  }
}
