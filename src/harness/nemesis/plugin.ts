// The nemesis as a run plugin: scenarios with a `nemesis` key get seeded faults during their chaos phase
// (the named phase, else the last load phase), a durability check of every crash round, and
// metrics.durability in results.json. A failing run prints the seed that reproduces it.
import { checkDurability, type DurabilityResult } from "../checker/durability.ts";
import type { RunContext, RunPlugin, RunPluginOptions, PhaseInfo } from "../run/plugin.ts";
import type { ResolvedScenario } from "../scenario/resolved.ts";
import { ChaosRun } from "./chaos-run.ts";
import { resolveNemesis, type ParsedNemesis, type ResolvedNemesis } from "./config.ts";
import { buildDiskFaultMetrics } from "./disk-fault-metrics.ts";
import { buildDurabilityMetrics } from "./durability-metrics.ts";
import { describeRunbookDrill } from "./drills/runbook-judge.ts";
import { summarizeRunbookDrill } from "../report/runbook-drills-html.ts";
import { summarizeOutageLatency } from "./outage-latency.ts";
import { toCrashRound } from "./durability-metrics.ts";

/** The scenario key this plugin owns. */
export const NEMESIS_KEY = "nemesis";

/** The load phase the nemesis acts in: the one named, else the last load phase. */
export function findChaosPhase(scenario: ResolvedScenario, nemesis: ResolvedNemesis): string | undefined {
  if (nemesis.phase !== undefined) return nemesis.phase;
  return scenario.phases.filter((phase) => phase.kind === "load").at(-1)?.name;
}

/** The command line that replays a run's schedule. */
export function formatReproduceCommand(scenario: ResolvedScenario, engineKind: string): string {
  return `persistlab run ${scenario.name} --seed ${scenario.seed}${engineKind === "bundled" ? "" : ` --engine ${engineKind}`}`;
}

/** Creates the plugin for a scenario with a `nemesis` key (undefined otherwise); `--keep-crash-states` comes in `options`. */
export function createNemesisPlugin(
  scenario: ResolvedScenario,
  options: RunPluginOptions = { keepCrashStates: false },
): RunPlugin | undefined {
  const parsed = scenario.extensions[NEMESIS_KEY] as ParsedNemesis | undefined;
  if (parsed === undefined) return undefined;
  const resolved = resolveNemesis(parsed, scenario.quick, scenario.baseDir);
  const config = options.keepCrashStates ? { ...resolved, keepCrashStates: true } : resolved;
  const phaseName = findChaosPhase(scenario, config);
  if (
    phaseName !== undefined &&
    !scenario.phases.some((phase) => phase.name === phaseName && phase.kind !== "recovery")
  ) {
    throw new Error(
      `nemesis.phase: no load phase named "${phaseName}". Fix: name one of ${scenario.phases.map((phase) => `"${phase.name}"`).join(", ")}`,
    );
  }
  const runs = new Map<string, ChaosRun>();
  const get = (ctx: RunContext): ChaosRun => {
    const chaos = runs.get(ctx.run.id);
    if (chaos === undefined) throw new Error(`nemesis: run ${ctx.run.id} was not prepared`);
    return chaos;
  };
  return {
    name: "nemesis",
    needsHistory: true,
    async prepareEngine(engine, run) {
      // A run that failed before check() left its state behind: stop its INFO polling.
      for (const [id, stale] of runs) {
        await stale.finish().catch(() => undefined);
        runs.delete(id);
      }
      const chaos = new ChaosRun({ config, run, engine });
      runs.set(run.id, chaos);
      await chaos.prepare(engine);
    },
    async setup(ctx) {
      await get(ctx).setup(ctx);
    },
    async during(ctx: RunContext, info: PhaseInfo, signal: AbortSignal) {
      if (info.phase.name !== phaseName) return;
      const chaos = get(ctx);
      await chaos.runSchedule(ctx, signal);
      // The schedule is done: let the load run briefly on the last restart, then end the phase.
      if (!signal.aborted && chaos.faultsDone >= chaos.schedule.length && config.endPhaseWhenDone) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        info.endLoad?.();
      }
    },
    async final(ctx) {
      await get(ctx).finish();
    },
    async check(ctx) {
      const chaos = get(ctx);
      await chaos.finish();
      const history = ctx.history.ops();
      let result: DurabilityResult | undefined;
      if (config.verify) {
        result = checkDurability({
          history,
          rounds: chaos.records.map(toCrashRound),
          policy: chaos.traits.policy,
          ...(chaos.initial === undefined ? {} : { initial: chaos.initial }),
          ...(chaos.initialAckedUs === undefined ? {} : { initialAckedUs: chaos.initialAckedUs }),
        });
      }
      const reproduce = formatReproduceCommand(ctx.scenario, ctx.engine.kind);
      const durability = buildDurabilityMetrics({
        records: chaos.records,
        result,
        policy: chaos.traits.policy,
        plannedFaults: chaos.schedule.length,
        faultsDone: chaos.faultsDone,
        powerLoss: { asked: config.powerLoss !== undefined, unavailable: chaos.powerLossUnavailable },
        seed: ctx.run.seed,
        reproduce,
        skippedDrills: chaos.skippedDrills,
        runbookDrills: chaos.runbooks.map((record) => describeRunbookDrill(record, history)),
      });
      for (const drill of (durability["drills"] as Array<Record<string, unknown>> | undefined) ?? []) {
        if (drill["kind"] === "runbook")
          process.stderr.write(
            `persistlab: ${ctx.run.id} runbook drill ${String(drill["i"])}: ${summarizeRunbookDrill(drill as never)}\n`,
          );
      }
      const disk = buildDiskFaultMetrics(chaos.records, result?.rounds ?? [], history);
      if (disk !== undefined)
        durability["disk"] =
          chaos.diskFaultsUnavailable === undefined ? disk : { ...disk, unavailable: chaos.diskFaultsUnavailable };
      else if (chaos.diskFaultsUnavailable !== undefined)
        durability["disk"] = { unavailable: chaos.diskFaultsUnavailable };
      const latency = summarizeOutageLatency(history);
      if (latency !== undefined) durability["outageLatency"] = latency;
      if (chaos.faultsDone < chaos.schedule.length && !ctx.signal.aborted) {
        durability["note"] =
          `${chaos.faultsDone} of ${chaos.schedule.length} planned faults ran before the phase "${phaseName ?? ""}" ended: lengthen it or lower nemesis.kills`;
      }
      if (durability.verdict === "fail") {
        process.stderr.write(
          `persistlab: durability violation in run ${ctx.run.id} (${String(durability["policy"])}, ${durability.kills} kills: ${durability.lost} acknowledged writes lost, ${durability.corrupt} corrupt, ${durability.failedRestarts} failed restarts). Reproduce the schedule with: ${reproduce} (run seed ${ctx.run.seed})\n`,
        );
      }
      return { durability };
    },
    async teardown(ctx) {
      runs.delete(ctx.run.id);
    },
    faultProgress(runId) {
      const chaos = runs.get(runId);
      return chaos === undefined ? undefined : { done: chaos.faultsDone, planned: chaos.schedule.length };
    },
  };
}
