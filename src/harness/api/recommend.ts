// API recommend(): the strategy that meets stated loss, throughput and latency needs, with the evidence.
import { recommendStrategy, type Needs, type Recommendation } from "../recommend/recommend-strategy.ts";
import { toResults, type ResultsInput } from "./inputs.ts";

/** Picks the fastest strategy meeting `needs` from results (object or results.json path); `pick` is undefined when none does. */
export function recommend(results: ResultsInput, needs: Needs = {}): Recommendation {
  return recommendStrategy(toResults(results), needs);
}
