// Scenario file schema (zod): every key, its default and its allowed values. Loaded by load.ts, desugared by resolve.ts.
// The shape is documented for users in docs/scenarios.md; `persistlab validate` checks a file against it.
import { z } from "zod";
import { durationSchema, positiveInt, strictObject } from "./strict.ts";

/** The data-type commands a workload mix may contain (each works on its own key namespace). */
export const OP_NAMES = [
  "SET",
  "GET",
  "INCR",
  "DEL",
  "HSET",
  "HGET",
  "LPUSH",
  "RPOP",
  "SADD",
  "ZADD",
  "EXPIRE",
] as const;
/** One operation of a mix. */
export type OpName = (typeof OP_NAMES)[number];

const directiveValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))], {
  error: 'Expected a redis.conf value: a string, number, boolean (yes/no) or array (e.g. "save": [900, 1])',
});
const directivesSchema = z.record(
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]*$/, { error: "Expected a redis.conf directive name such as `appendfsync`" }),
  directiveValue,
);

/** A strategy: a preset name, or a named custom directive map (optionally starting from a preset). */
export const strategySchema = z.union([
  z.string(),
  strictObject({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, { error: "Expected a short name (letters, digits, . _ -)" }),
    preset: z.string().optional(),
    config: directivesSchema.default({}),
  }),
]);

const keysSchema = strictObject({
  count: positiveInt("`count` (the key space size)").default(10_000),
  distribution: z.enum(["uniform", "zipf", "sequential"]).default("uniform"),
  skew: z.number().positive({ error: "Expected `skew` (zipf exponent) > 0, e.g. 0.99" }).max(5).default(0.99),
  prefix: z.string().default(""),
});

const valuesSchema = z.union([
  positiveInt("the value size in bytes"),
  strictObject({
    bytes: positiveInt("`bytes`").optional(),
    minBytes: positiveInt("`minBytes`").optional(),
    maxBytes: positiveInt("`maxBytes`").optional(),
  }),
]);

const mixSchema = z.partialRecord(
  z.enum(OP_NAMES, { error: `Expected an op name: ${OP_NAMES.join(" ")}` }),
  z.number().min(0, { error: "Expected a weight >= 0" }),
);

const workloadSchema = strictObject({
  keys: keysSchema.prefault({}),
  values: valuesSchema.default(100),
  mix: mixSchema.default({ SET: 0.5, GET: 0.5 }),
  preload: z
    .union([
      z.number().int().min(0),
      strictObject({ keys: z.number().int().min(0), valueBytes: positiveInt("`valueBytes`").optional() }),
    ])
    .default(0),
  opTimeout: durationSchema.default("2s"),
  history: z.enum(["writes", "all", "none"]).default("writes"),
  // Workload client: the lean pipelined RESP2 client (default, fast enough to saturate Redis) or ioredis.
  client: z.enum(["resp", "ioredis"]).default("resp"),
});

const loadFields = {
  name: z.string().min(1),
  executor: z.enum(["closed", "open"]).default("closed"),
  clients: positiveInt("`clients`").max(10_000).default(50),
  pipeline: positiveInt("`pipeline` (requests in flight per client)").max(10_000).default(1),
  rate: positiveInt("`rate` (ops/s, open loop)").optional(),
  record: z.boolean().default(true),
};

const loadPhaseSchema = strictObject({
  ...loadFields,
  kind: z.literal("load").default("load"),
  duration: durationSchema.optional(),
  ops: positiveInt("`ops`").optional(),
});

const rewritePhaseSchema = strictObject({
  ...loadFields,
  kind: z.literal("rewrite"),
  trigger: z.enum(["auto", "BGREWRITEAOF", "BGSAVE"]).default("auto"),
  before: durationSchema.default("2s"),
  after: durationSchema.default("1s"),
  timeout: durationSchema.default("120s"),
});

const recoveryPhaseSchema = strictObject({
  name: z.string().min(1),
  kind: z.literal("recovery"),
  sizes: z
    .array(z.number().int().min(0), { error: "Expected `sizes` as an array of key counts, e.g. [10000, 100000]" })
    .min(1),
  valueBytes: positiveInt("`valueBytes`").default(100),
  timeout: durationSchema.default("300s"),
});

/** One phase: load (workload for a duration or op count), rewrite (BGREWRITEAOF/BGSAVE under load) or recovery. */
export const phaseSchema = z.discriminatedUnion("kind", [loadPhaseSchema, rewritePhaseSchema, recoveryPhaseSchema], {
  error: 'Expected `kind` to be "load", "rewrite" or "recovery"',
});

const thresholdSchema = z.union([
  z.string().regex(/^\s*[a-zA-Z][a-zA-Z0-9_.]*(\(\s*[\d.]+\s*\))?\s*(<=|>=|==|!=|<|>)\s*-?[\d.]+\s*$/, {
    error: 'Expected a threshold expression such as "p(99)<5", "rate<0.01" or "value>=0.95"',
  }),
  strictObject({ threshold: z.string(), abortOnFail: z.boolean().default(false) }),
]);

/** The scenario file, before shorthand is expanded. Extension keys are added by load.ts. */
export const scenarioFields = {
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, {
    error: "Expected `name` of letters, digits, . _ - (it names the report folder)",
  }),
  description: z.string().default(""),
  seed: z.number().int().min(0).default(1),
  repetitions: positiveInt("`repetitions`").max(100).default(1),
  strategies: z
    .array(strategySchema)
    .min(1, { error: 'Expected at least one strategy, e.g. ["aof-everysec"]' })
    .default(["aof-everysec"]),
  workload: workloadSchema.prefault({}),
  phases: z.array(phaseSchema).min(1).optional(),
  // Shorthand for [warmup?, steady]: one closed- or open-loop load phase.
  duration: durationSchema.optional(),
  warmup: durationSchema.optional(),
  clients: positiveInt("`clients`").optional(),
  pipeline: positiveInt("`pipeline`").optional(),
  rate: positiveInt("`rate`").optional(),
  recovery: z.boolean().default(true),
  timelineBucket: durationSchema.default("500ms"),
  quick: strictObject({
    durationScale: z.number().positive().max(1).default(0.2),
    maxKeys: positiveInt("`maxKeys`").default(100_000),
  }).prefault({}),
  thresholds: z.record(z.string(), z.array(thresholdSchema)).default({}),
};

/** The raw scenario type after zod parsing (defaults applied, shorthand not yet expanded). */
export type ParsedScenario = z.output<z.ZodObject<typeof scenarioFields>>;
/** A parsed phase. */
export type ParsedPhase = z.output<typeof phaseSchema>;
