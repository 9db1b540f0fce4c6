// compose() and mergeValidity: false beats unknown beats true, as Jepsen's checker/compose.
import { describe, expect, it } from "vitest";
import { compose, mergeValidity, type Checker, type Validity } from "../../../src/harness/checker/checker.ts";

const fixed = (name: string, valid: Validity): Checker<number> => ({ name, check: () => ({ valid }) });

describe("mergeValidity", () => {
  it("orders false > unknown > true and treats nothing as valid", () => {
    expect(mergeValidity([])).toBe(true);
    expect(mergeValidity([true, true])).toBe(true);
    expect(mergeValidity([true, "unknown"])).toBe("unknown");
    expect(mergeValidity(["unknown", false, true])).toBe(false);
  });
});

describe("compose", () => {
  it("runs each checker and keeps each result by name", () => {
    const composed = compose({ a: fixed("a", true), b: fixed("b", "unknown") }).check(1);
    expect(composed.valid).toBe("unknown");
    expect(composed.results).toEqual({ a: { valid: true }, b: { valid: "unknown" } });
    expect(compose({ a: fixed("a", true), b: fixed("b", false), c: fixed("c", "unknown") }).check(1).valid).toBe(false);
    expect(compose({}).check(1)).toMatchObject({ valid: true, summary: "all checks valid" });
  });
});
