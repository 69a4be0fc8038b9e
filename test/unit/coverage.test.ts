import { describe, expect, it } from "vitest";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { coverage, type RuleCoverage } from "../../shared/domain/coverage.js";
import type { Agreement, AgreementVersion, Partner, RoutingRule } from "../../shared/domain/registry.js";
import type { AgreementStatus } from "../../shared/domain/vocabulary.js";

/** Where sharing has a lawful footing: each rule, area and recipient against the agreements. */

const NOW = new Date("2026-11-24T00:00:00Z");
const DAY = 86_400_000;
const THIRTY_DAYS = 30 * DAY;
const DEMO_VALID_TO = "2028-03-31T23:59:59.999Z";
const UNTIL_DEMO_EXPIRY = Date.parse(DEMO_VALID_TO) - NOW.getTime();

function demoCoverage(
  options: {
    rules?: readonly RoutingRule[];
    partners?: readonly Partner[];
    agreements?: readonly Agreement[];
    withinMs?: number;
  } = {},
): RuleCoverage[] {
  return coverage(
    options.rules ?? DEMO_RULES,
    options.partners ?? DEMO_PARTNERS,
    options.agreements ?? DEMO_AGREEMENTS,
    NOW,
    options.withinMs ?? THIRTY_DAYS,
  );
}

function row(rows: readonly RuleCoverage[], ruleId: string, area: string): RuleCoverage {
  const found = rows.find((r) => r.ruleId === ruleId && r.area === area);
  if (!found) throw new Error(`no coverage row for ${ruleId} in ${area}`);
  return found;
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [first] = items;
  if (first === undefined) throw new Error("expected one item");
  return first;
}

/** The demo agreements, one of them replaced by a copy with its first version edited. */
function agreementsWith(id: string, edit: (version: AgreementVersion) => void): Agreement[] {
  return DEMO_AGREEMENTS.map((a) => {
    if (a.id !== id) return a;
    const copy = structuredClone(a);
    const first = copy.versions[0];
    if (!first) throw new Error(`demo agreement ${id} has no version`);
    edit(first);
    return copy;
  });
}

describe("coverage with the demo registry", () => {
  it("finds no agreement for neglect-health in essex: essex-health is not_covered", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "neglect-health", "essex");

    // Assess
    expect(result.unresolved).toBe(false);
    expect(result.concernTypes).toEqual(["neglect_or_abuse"]);
    expect(only(result.recipients)).toEqual({
      recipientId: "essex-health",
      discloserId: "essex-police",
      status: "not_covered",
      agreements: [],
      uncoveredConcernTypes: ["neglect_or_abuse"],
      expiresAt: null,
    });
  });

  it("covers encompass-school in essex: st-marys-primary under encompass-st-marys v1", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "encompass-school", "essex");

    // Assess
    expect(result.unresolved).toBe(false);
    expect(only(result.recipients)).toEqual({
      recipientId: "st-marys-primary",
      discloserId: "essex-police",
      status: "covered",
      agreements: [
        { id: "encompass-st-marys", version: 1, validTo: DEMO_VALID_TO, ageRange: { min: 4, max: 17 } },
      ],
      uncoveredConcernTypes: [],
      expiresAt: DEMO_VALID_TO,
    });
  });

  it("marks encompass-school in southend unresolved: no school is registered there", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "encompass-school", "southend");

    // Assess
    expect(result.unresolved).toBe(true);
    expect(result.recipients).toEqual([]);
  });

  it("covers mash-all in essex for every concern type, through mash-essex", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "mash-all", "essex");

    // Assess
    const essexMash = only(result.recipients);
    expect(essexMash).toMatchObject({
      recipientId: "essex-mash",
      discloserId: "essex-police",
      status: "covered",
      uncoveredConcernTypes: [],
      expiresAt: DEMO_VALID_TO,
    });
    expect(essexMash.agreements).toEqual([
      { id: "mash-essex", version: 1, validTo: DEMO_VALID_TO, ageRange: { min: 0, max: 17 } },
    ]);
  });

  it("covers mash-all in southend through mash-southend, reaching only the southend MASH", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "mash-all", "southend");

    // Assess
    const southendMash = only(result.recipients);
    expect(southendMash.recipientId).toBe("southend-mash");
    expect(southendMash.status).toBe("covered");
    expect(southendMash.agreements.map((a) => a.id)).toEqual(["mash-southend"]);
  });

  it("says mash-all in essex is expiring when the window is longer than the time to validTo", () => {
    // Prepare
    const withinMs = UNTIL_DEMO_EXPIRY + DAY;

    // Act
    const result = row(demoCoverage({ withinMs }), "mash-all", "essex");

    // Assess
    expect(only(result.recipients)).toMatchObject({ status: "expiring", expiresAt: DEMO_VALID_TO });
  });

  it("keeps mash-all in essex covered when the window ends a millisecond before validTo", () => {
    // Prepare
    const withinMs = UNTIL_DEMO_EXPIRY - 1;

    // Act
    const result = row(demoCoverage({ withinMs }), "mash-all", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("covered");
  });

  it("takes its areas from the police partners' areas: essex and southend, for every rule", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const pairs = rows.map((r) => `${r.ruleId}@${r.area}`);

    // Assess
    expect(pairs).toEqual(DEMO_RULES.flatMap((rule) => [`${rule.id}@essex`, `${rule.id}@southend`]));
  });

  it("adds an area only when a police partner serves it, not when another partner does", () => {
    // Prepare
    const partners: Partner[] = [
      ...DEMO_PARTNERS.map((p) => (p.id === "essex-police" ? { ...p, areas: [...p.areas, "thurrock"] } : p)),
      { id: "kent-health", name: "Kent Health", type: "health", areas: ["kent"], clientIds: [] },
    ];

    // Act
    const areas = [...new Set(demoCoverage({ partners }).map((r) => r.area))];

    // Assess
    expect(areas).toEqual(["essex", "southend", "thurrock"]);
  });

  it("lists each rule's concern types on its rows", () => {
    // Prepare
    const rows = demoCoverage();

    // Act
    const result = row(rows, "missing-looked-after", "essex");

    // Assess
    expect(result.concernTypes).toEqual(["missing_child"]);
    expect(only(result.recipients)).toMatchObject({ recipientId: "essex-edt", status: "covered" });
  });
});

describe("coverage of edited agreements", () => {
  it("is partial when the agreement covers only some of the rule's concern types", () => {
    // Prepare
    const agreements = agreementsWith("mash-essex", (v) => {
      v.concernTypes = ["domestic_abuse_child_present", "online_harm"];
    });

    // Act
    const result = row(demoCoverage({ agreements }), "mash-all", "essex");

    // Assess
    expect(only(result.recipients)).toMatchObject({
      recipientId: "essex-mash",
      status: "partial",
      agreements: [{ id: "mash-essex", version: 1 }],
      uncoveredConcernTypes: ["missing_child", "child_exploitation", "radicalisation", "neglect_or_abuse"],
      expiresAt: DEMO_VALID_TO,
    });
  });

  it("is partial rather than expiring when both apply", () => {
    // Prepare
    const agreements = agreementsWith("mash-essex", (v) => {
      v.concernTypes = ["missing_child"];
    });

    // Act
    const result = row(demoCoverage({ agreements, withinMs: UNTIL_DEMO_EXPIRY + DAY }), "mash-all", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("partial");
  });

  it.each(["draft", "suspended", "revoked", "superseded"] as const satisfies readonly AgreementStatus[])(
    "is not_covered when the only agreement is %s",
    (status) => {
      // Prepare
      const agreements = agreementsWith("encompass-st-marys", (v) => {
        v.status = status;
      });

      // Act
      const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

      // Assess
      expect(only(result.recipients)).toEqual({
        recipientId: "st-marys-primary",
        discloserId: "essex-police",
        status: "not_covered",
        agreements: [],
        uncoveredConcernTypes: ["domestic_abuse_child_present", "online_harm"],
        expiresAt: null,
      });
    },
  );

  it("is not_covered when the agreement has expired", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.validTo = "2026-11-23T23:59:59.999Z";
    });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients)).toMatchObject({ status: "not_covered", agreements: [], expiresAt: null });
  });

  it("is not_covered at the very instant of validTo", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.validTo = NOW.toISOString();
    });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("not_covered");
  });

  it("is not_covered when the agreement is not yet valid", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.validFrom = "2026-11-24T00:00:00.001Z";
    });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("not_covered");
  });

  it("is not_covered when the agreement is for another area", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.areas = ["southend"];
    });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("not_covered");
  });

  it("is not_covered when the agreement does not name the rule's purpose", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.purposes = ["crime_prevention"];
    });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients).status).toBe("not_covered");
  });

  it("uses a newly activated version once the old one is superseded", () => {
    // Prepare
    const agreements = agreementsWith("encompass-st-marys", (v) => {
      v.status = "superseded";
    });
    const encompass = agreements.find((a) => a.id === "encompass-st-marys");
    const v1 = encompass?.versions[0];
    if (!encompass || !v1) throw new Error("no encompass agreement");
    encompass.versions.push({ ...v1, version: 2, status: "active", validTo: "2026-12-01T00:00:00.000Z" });

    // Act
    const result = row(demoCoverage({ agreements }), "encompass-school", "essex");

    // Assess
    expect(only(result.recipients)).toMatchObject({
      status: "expiring",
      agreements: [{ id: "encompass-st-marys", version: 2, validTo: "2026-12-01T00:00:00.000Z" }],
      expiresAt: "2026-12-01T00:00:00.000Z",
    });
  });
});
