// The slow log and the latency monitor (Redis 7.0's slowlog.c and latency.c): what a command that
// took long leaves behind. SLOWLOG keeps the newest `slowlog-max-len` commands that took at least
// `slowlog-log-slower-than` µs (arguments trimmed to 32, each to 128 bytes, secrets redacted); the
// latency monitor keeps, per event ("command", "fast-command", ...), the worst latency of each
// second for the last 160 seconds with one, once it reached `latency-monitor-threshold` ms.
// Thresholds are read from the CONFIG text on each use (CONFIG SET takes effect at once).
import { LatencyHistograms } from "./latency-histograms.ts";

/** What the slow log records of the client that ran a command (a Client of server/context-types.ts). */
export interface SlowlogClient {
  readonly remoteAddress: string;
  readonly name: string;
}

const SLOWLOG_MAX_ARGC = 32;
const SLOWLOG_MAX_STRING = 128;
const LATENCY_TS_LEN = 160;

/** One slow log entry. */
export interface SlowlogEntry {
  readonly id: number;
  readonly unixSeconds: number;
  readonly durationUs: number;
  readonly argv: readonly string[];
  readonly peer: string;
  readonly clientName: string;
}

/** One latency sample: the worst latency (ms) seen in one second. */
export interface LatencySample {
  unixSeconds: number;
  latencyMs: number;
}

/** One event's time series. */
export interface LatencySeries {
  /** Ring of up to LATENCY_TS_LEN samples, oldest first once read through samples(). */
  readonly ring: (LatencySample | null)[];
  next: number;
  maxMs: number;
}

/** Reads a numeric directive's current text, caching the parse. */
class NumericSetting {
  private raw: string | undefined = undefined;
  private parsed = 0;
  private readonly accepted: ReadonlyMap<string, string>;
  private readonly name: string;
  private readonly fallback: number;

  constructor(accepted: ReadonlyMap<string, string>, name: string, fallback: number) {
    this.accepted = accepted;
    this.name = name;
    this.fallback = fallback;
  }

  get value(): number {
    const raw = this.accepted.get(this.name);
    if (raw !== this.raw) {
      this.raw = raw;
      const number = raw === undefined ? this.fallback : Number(raw);
      this.parsed = Number.isFinite(number) ? number : this.fallback;
    }
    return this.parsed;
  }
}

// Arguments the slow log must not keep (Redis's redactClientCommandArgument callers).
const SENSITIVE_CONFIGS = new Set(["masterauth", "requirepass", "masteruser"]);

function redact(argv: readonly string[]): string[] {
  const out = [...argv];
  const name = (argv[0] ?? "").toLowerCase();
  const hidden = (index: number): void => {
    if (index < out.length) out[index] = "(redacted)";
  };
  if (name === "auth") for (let index = 1; index < out.length; index += 1) hidden(index);
  else if (name === "hello") {
    for (let index = 2; index < out.length; index += 1) {
      if ((out[index] as string).toLowerCase() === "auth") {
        hidden(index + 1);
        hidden(index + 2);
        index += 2;
      }
    }
  } else if (name === "migrate") {
    for (let index = 6; index < out.length; index += 1) {
      const word = (out[index] as string).toLowerCase();
      if (word === "keys") break;
      if (word === "auth") hidden(++index);
      else if (word === "auth2") {
        hidden(++index);
        hidden(++index);
      }
    }
  } else if (name === "config" && (argv[1] ?? "").toLowerCase() === "set") {
    for (let index = 2; index + 1 < out.length; index += 2)
      if (SENSITIVE_CONFIGS.has((out[index] as string).toLowerCase())) hidden(index + 1);
  } else if (name === "acl" && (argv[1] ?? "").toLowerCase() === "setuser") {
    for (let index = 2; index < out.length; index += 1) hidden(index);
  }
  return out;
}

function trimForSlowlog(argv: readonly string[]): string[] {
  const count = Math.min(argv.length, SLOWLOG_MAX_ARGC);
  const out: string[] = [];
  for (let index = 0; index < count; index += 1) {
    if (count !== argv.length && index === count - 1) {
      out.push(`... (${argv.length - count + 1} more arguments)`);
      break;
    }
    const arg = argv[index] as string;
    out.push(
      arg.length > SLOWLOG_MAX_STRING
        ? `${arg.slice(0, SLOWLOG_MAX_STRING)}... (${arg.length - SLOWLOG_MAX_STRING} more bytes)`
        : arg,
    );
  }
  return out;
}

/** The slow log and latency monitor of one server. */
export class Monitoring {
  private readonly slowerThanUs: NumericSetting;
  private readonly slowlogMaxLen: NumericSetting;
  private readonly latencyThresholdMs: NumericSetting;
  /** Newest first. */
  slowlog: SlowlogEntry[] = [];
  private nextSlowlogId = 0;
  readonly latency = new Map<string, LatencySeries>();
  /** Per-command latency histograms (LATENCY HISTOGRAM), fed while `latency-tracking` is yes. */
  readonly histograms = new LatencyHistograms();
  private readonly accepted: ReadonlyMap<string, string>;

  constructor(accepted: ReadonlyMap<string, string>) {
    this.accepted = accepted;
    this.slowerThanUs = new NumericSetting(accepted, "slowlog-log-slower-than", 10000);
    this.slowlogMaxLen = new NumericSetting(accepted, "slowlog-max-len", 128);
    this.latencyThresholdMs = new NumericSetting(accepted, "latency-monitor-threshold", 0);
  }

  /** latency-monitor-threshold in ms (0 = off). */
  get latencyThreshold(): number {
    return this.latencyThresholdMs.value;
  }

  /** After a command ran (or a blocked one was served): slow log and latency events. */
  recordCommand(
    client: SlowlogClient,
    argv: readonly string[],
    durationUs: number,
    isFast: boolean,
    logSlow: boolean,
  ): void {
    if (logSlow) this.pushSlowlog(client, argv, durationUs);
    this.addLatencySampleIfNeeded(isFast ? "fast-command" : "command", Math.floor(durationUs / 1000));
  }

  /** Counts a call of `fullName` (`config|get`) in its latency histogram when latency-tracking is on. */
  recordLatency(fullName: string, durationNs: number): void {
    if (this.accepted.get("latency-tracking") !== "no") this.histograms.record(fullName, durationNs);
  }

  /** Adds an entry when the duration reaches slowlog-log-slower-than (negative disables). */
  pushSlowlog(client: SlowlogClient, argv: readonly string[], durationUs: number): void {
    const threshold = this.slowerThanUs.value;
    if (threshold < 0 || durationUs < threshold) return;
    this.slowlog.unshift({
      id: this.nextSlowlogId++,
      unixSeconds: Math.floor(Date.now() / 1000),
      durationUs,
      argv: trimForSlowlog(redact(argv)),
      peer: client.remoteAddress,
      clientName: client.name,
    });
    const maxLen = Math.max(0, this.slowlogMaxLen.value);
    if (this.slowlog.length > maxLen) this.slowlog.length = maxLen;
  }

  /** Records `latencyMs` for `event` when monitoring is on and it reaches the threshold. */
  addLatencySampleIfNeeded(event: string, latencyMs: number): void {
    const threshold = this.latencyThresholdMs.value;
    if (threshold > 0 && latencyMs >= threshold) this.addLatencySample(event, latencyMs);
  }

  /** Records one sample; samples of the same second keep the worst. */
  addLatencySample(event: string, latencyMs: number): void {
    const now = Math.floor(Date.now() / 1000);
    let series = this.latency.get(event);
    if (series === undefined) {
      series = { ring: new Array<LatencySample | null>(LATENCY_TS_LEN).fill(null), next: 0, maxMs: 0 };
      this.latency.set(event, series);
    }
    if (latencyMs > series.maxMs) series.maxMs = latencyMs;
    const previous = series.ring[(series.next + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
    if (previous !== null && previous !== undefined && previous.unixSeconds === now) {
      if (latencyMs > previous.latencyMs) previous.latencyMs = latencyMs;
      return;
    }
    series.ring[series.next] = { unixSeconds: now, latencyMs };
    series.next = (series.next + 1) % LATENCY_TS_LEN;
  }

  /** An event's samples, oldest first. */
  samples(event: string): LatencySample[] {
    const series = this.latency.get(event);
    if (series === undefined) return [];
    const out: LatencySample[] = [];
    for (let offset = 0; offset < LATENCY_TS_LEN; offset += 1) {
      const sample = series.ring[(series.next + offset) % LATENCY_TS_LEN];
      if (sample !== null && sample !== undefined) out.push(sample);
    }
    return out;
  }
}
