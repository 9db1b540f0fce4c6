// The shape of a directive shared by both tables (directives.ts for those with an effect,
// inert-directives.ts for the rest): how its value is parsed and printed, and its flags. Types only.

/** The special value forms (each has its own syntax in Redis's config.c). */
export type SpecialForm =
  | "client-output-buffer-limit"
  | "oom-score-adj-values"
  | "notify-keyspace-events"
  | "replicaof"
  | "latency-tracking-info-percentiles";

/** How a directive's arguments are parsed and printed. */
export type DirectiveKind =
  | { readonly type: "bool" }
  | { readonly type: "int"; readonly min: number; readonly max: number }
  | { readonly type: "memory"; readonly min: number; readonly max: number }
  | { readonly type: "string" }
  | { readonly type: "enum"; readonly values: readonly string[]; readonly synonyms?: Readonly<Record<string, string>> }
  | { readonly type: "save" }
  | { readonly type: "list" }
  /** Octal integer (unixsocketperm). */
  | { readonly type: "octal"; readonly min: number; readonly max: number }
  /** Memory value or "N%" (maxmemory-clients); a percentage is kept as -N. */
  | { readonly type: "memory-or-percent"; readonly min: number; readonly max: number }
  /** Several words of one enum (shutdown-on-sigterm "save now"); `none` is printed when none is set. */
  | { readonly type: "flags"; readonly values: readonly string[]; readonly none: string }
  | { readonly type: "special"; readonly form: SpecialForm };

/** Flags shared by both tables (as Redis 7.0's config.c marks them). */
export interface DirectiveFlags {
  readonly name: string;
  readonly kind: DirectiveKind;
  /** True when CONFIG SET refuses it ("can't set immutable config"). */
  readonly immutable?: boolean;
  readonly aliases?: readonly string[];
  /** PROTECTED_CONFIG: CONFIG SET only when enable-protected-configs allows it. */
  readonly protected?: boolean;
  /** HIDDEN_CONFIG: CONFIG GET shows it only when asked by exact name. */
  readonly hidden?: boolean;
  /** SENSITIVE_CONFIG: the value is a secret. */
  readonly sensitive?: boolean;
  /** DENY_LOADING_CONFIG: CONFIG SET answers -LOADING while the data set loads. */
  readonly denyLoading?: boolean;
  /** An extra check on the value (Redis's is_valid functions); returns the error text or null. */
  readonly checkValue?: (text: string) => string | null;
}
