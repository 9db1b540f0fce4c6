// Vitest configuration: one suite for Node and Deno; tests spawn real processes, so keep workers low.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
