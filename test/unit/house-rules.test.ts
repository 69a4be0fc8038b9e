import { describe, expect, it } from "vitest";
import { longFunctions, unallowed, violations } from "../../scripts/house-rules.js";

describe("the house's size rules", () => {
  it("finds no function over 60 lines and no file over 300 in shared/ and functions/ beyond the allow-list", () => {
    // Prepare, Act
    const found = unallowed(violations()).map((v) => `${v.kind} ${v.file}:${v.name} (${v.lines} lines)`);

    // Assess
    expect(found).toEqual([]);
  });

  it("measures every kind of function, nested ones included, by its lines from start to end", () => {
    // Prepare
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const text = [
      `export function declared() {\n${body(59)}\n}`,
      `export const arrow = () => {\n${body(59)}\n};`,
      `class Store {\n  method() {\n${body(10)}\n    const inner = function () {\n${body(61)}\n    };\n  }\n}`,
      `export function short() {\n${body(58)}\n}`,
    ].join("\n");

    // Act
    const found = longFunctions("x.ts", text).map((v) => [v.name, v.lines]);

    // Assess
    expect(found).toEqual([
      ["declared", 61],
      ["arrow", 61],
      ["method", 75],
      ["inner", 63],
    ]);
  });
});
