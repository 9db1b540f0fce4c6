// Redis 7.0.15's own persistence test units that the engine passes (CI_UNITS), first half: the AOF units.
// The other half is in persistence-units-2.test.ts, so that two workers run them side by side.
import { defineUnitTests, FIRST_HALF } from "./define-unit-tests.ts";

defineUnitTests("Redis 7.0.15 persistence units on the engine (AOF)", FIRST_HALF, 4000);
