// Redis 7.0.15's own persistence test units that the engine passes (CI_UNITS), second half: every CI unit
// persistence-units.test.ts does not run (AOF rewrite, RDB, shutdown), on ports of their own.
import { expect, it } from "vitest";
import { PERSISTENCE_UNITS } from "../../scripts/redis-suite/units.ts";
import { defineUnitTests, FIRST_HALF, SECOND_HALF } from "./define-unit-tests.ts";

it("the two files together run every persistence unit", () => {
  expect([...FIRST_HALF, ...SECOND_HALF].sort()).toEqual([...PERSISTENCE_UNITS].sort());
});

defineUnitTests("Redis 7.0.15 persistence units on the engine (rewrite, RDB, shutdown)", SECOND_HALF, 5100);
