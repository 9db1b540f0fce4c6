// Vitest configuration: the whole suite runs on Node ("node" project); a subset of pure and
// in-process tests (RESP, commands, keyspace, RDB format, scenario, stats, checker, gate) runs again under
// Deno 2 ("deno" project, `npm run test:deno`) to prove the sources work on both runtimes.
// Tests spawn real processes, so keep workers low.
import { defineConfig } from "vitest/config";
import LongestFirstSequencer from "./test/helpers/longest-first-sequencer.ts";

const DENO_SUBSET = [
  "test/engine/resp/**/*.test.ts",
  "test/engine/commands/**/*.test.ts",
  "test/engine/keyspace/**/*.test.ts",
  "test/engine/rdb/**/*.test.ts",
  "test/property/rdb-*.test.ts",
  "test/harness/scenario/**/*.test.ts",
  "test/harness/stats/**/*.test.ts",
  "test/harness/checker/**/*.test.ts",
  "test/harness/gate/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    globalSetup: ["test/helpers/global-setup.ts"],
    reporters: ["default", "./test/helpers/slowest-files-reporter.ts"],
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "deno", include: DENO_SUBSET } },
    ],
  },
});
