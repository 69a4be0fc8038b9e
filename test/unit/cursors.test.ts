import { describe, expect, it } from "vitest";
import { honouredScopes, isGovernanceScope } from "../../shared/app/context.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import type { Partner } from "../../shared/domain/registry.js";
import { LanternError } from "../../shared/errors.js";
import { cursorBinding, openCursor, sealCursor } from "../../shared/http/cursors.js";

const key = Buffer.alloc(32, 9);
const police = DEMO_PARTNERS.find((p) => p.id === "essex-police") as Partner;
const mash = DEMO_PARTNERS.find((p) => p.id === "essex-mash") as Partner;
const ig = { partner: police, sub: "ig-1" };
const events = { operationId: "queryAuditEvents" };
const position = Buffer.from(JSON.stringify({ after: "2026-11-20T21:52:11.000Z#0002#0000000041" })).toString(
  "base64url",
);

/** The one 400 every bad cursor answers, checked by its code, never some other throw. */
function refused(open: () => unknown): string {
  try {
    open();
  } catch (error: unknown) {
    if (error instanceof LanternError) return `${error.status} ${error.code}`;
    throw error;
  }
  return "opened";
}

describe("tamper-evident cursors", () => {
  const binding = cursorBinding(events, ig, {}, { subjectId: "subj_a", limit: 10, cursor: "x" });
  const sealed = sealCursor(key, binding, position);

  it("opens a cursor it sealed for the same query and caller, whatever the page size", () => {
    // Act
    const again = cursorBinding(events, ig, {}, { limit: 50, subjectId: "subj_a" });

    // Assess
    expect(openCursor(key, again, sealed)).toBe(position);
  });

  it.each([
    ["another filter value", cursorBinding(events, ig, {}, { subjectId: "subj_b" })],
    ["one more filter", cursorBinding(events, ig, {}, { subjectId: "subj_a", action: "disclosure" })],
    ["another route", cursorBinding({ operationId: "listReviews" }, ig, {}, { subjectId: "subj_a" })],
    ["another user", cursorBinding(events, { partner: police, sub: "ig-2" }, {}, { subjectId: "subj_a" })],
    ["another partner", cursorBinding(events, { partner: mash, sub: "ig-1" }, {}, { subjectId: "subj_a" })],
    ["other path parameters", cursorBinding(events, ig, { id: "n1" }, { subjectId: "subj_a" })],
  ])("refuses it for %s", (_, other) => {
    expect(refused(() => openCursor(key, other, sealed))).toBe("400 invalid-cursor");
  });

  it.each([
    ["an edited position", `${position.slice(0, -2)}AA${sealed.slice(position.length)}`],
    ["an edited signature", `${sealed.slice(0, -1)}${sealed.endsWith("A") ? "B" : "A"}`],
    ["an unsealed position", position],
    ["a made-up string", "not-a-cursor"],
    ["an empty string", ""],
    ["a lone dot", "."],
    ["a signature only", sealed.slice(position.length)],
    ["non-ASCII where the signature goes", `${position}.${"é".repeat(43)}`],
    ["a signature too long", `${sealed}AAAA`],
  ])("refuses %s with 400, never another error", (_, cursor) => {
    expect(refused(() => openCursor(key, binding, cursor))).toBe("400 invalid-cursor");
  });

  it("refuses a cursor sealed with another key", () => {
    const forged = sealCursor(Buffer.alloc(32, 1), binding, position);
    expect(refused(() => openCursor(key, binding, forged))).toBe("400 invalid-cursor");
  });
});

describe("governance scopes", () => {
  it("names every management and audit scope, and no other", () => {
    expect(
      ["agreements:manage", "partners:manage", "routing:manage", "audit:read", "audit:review"].every(
        isGovernanceScope,
      ),
    ).toBe(true);
    expect(
      ["agreements:read", "partners:read", "routing:read", "concerns:submit"].some(isGovernanceScope),
    ).toBe(false);
  });

  it("honours them only for a governance partner", () => {
    const scopes = new Set(["audit:read", "routing:manage", "routing:read", "notifications:read"]);
    expect([...honouredScopes(police, scopes)].sort()).toEqual([...scopes].sort());
    expect([...honouredScopes(mash, scopes)].sort()).toEqual(["notifications:read", "routing:read"]);
  });
});
