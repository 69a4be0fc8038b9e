import { describe, expect, it } from "vitest";
import { DEMO_AGREEMENTS } from "../../shared/demo-registry.js";
import { type DisclosureRequest, evaluate } from "../../shared/domain/agreements.js";
import type { Agreement, AgreementVersion } from "../../shared/domain/registry.js";
import type { AgreementStatus } from "../../shared/domain/vocabulary.js";

const NOW = new Date("2026-11-20T21:45:00.000Z");

const LAWFUL_BASIS = [
  "UK GDPR Art. 6(1)(e)",
  "UK GDPR Art. 9(2)(g); DPA 2018 Sch. 1 para 18",
  "Children Act 2004 s11",
  "Crime and Disorder Act 1998 s115",
];

function request(overrides: Partial<DisclosureRequest> = {}): DisclosureRequest {
  return {
    discloserId: "essex-police",
    recipientId: "st-marys-primary",
    purpose: "safeguarding",
    concernType: "domestic_abuse_child_present",
    area: "essex",
    age: 9,
    requestedCategories: ["identity", "education", "voice_of_child"],
    ...overrides,
  };
}

/** A copy of one demo agreement, its first version edited. */
function demoAgreement(id: string, edit: (version: AgreementVersion) => void = () => {}): Agreement {
  const found = DEMO_AGREEMENTS.find((a) => a.id === id);
  if (!found) throw new Error(`no demo agreement ${id}`);
  const copy = structuredClone(found);
  const first = copy.versions[0];
  if (!first) throw new Error(`demo agreement ${id} has no version`);
  edit(first);
  return copy;
}

const encompass = (edit?: (version: AgreementVersion) => void) => demoAgreement("encompass-st-marys", edit);

describe("evaluate refuses", () => {
  it("with no_agreement when the recipient has no agreement at all", () => {
    // Prepare
    const req = request({ recipientId: "essex-health" });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "no_agreement", stopped: false });
  });

  it("with no_agreement when the only agreement for the recipient is with another discloser", () => {
    // Prepare
    const otherDiscloser = encompass();
    otherDiscloser.discloserId = "kent-police";

    // Act
    const result = evaluate(request(), [otherDiscloser], NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "no_agreement", stopped: false });
  });

  it("with no_agreement when the registry is empty", () => {
    // Prepare
    const agreements: Agreement[] = [];

    // Act
    const result = evaluate(request(), agreements, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "no_agreement", stopped: false });
  });

  it.each(["draft", "suspended", "revoked", "superseded"] as const satisfies readonly AgreementStatus[])(
    "with agreement_not_active for a %s version",
    (status) => {
      // Prepare
      const agreement = encompass((v) => {
        v.status = status;
      });

      // Act
      const result = evaluate(request(), [agreement], NOW);

      // Assess
      // IG stopped a suspended or revoked one on purpose: break glass may not override it.
      expect(result).toEqual({
        granted: false,
        reason: "agreement_not_active",
        stopped: status === "suspended" || status === "revoked",
      });
    },
  );

  it("with agreement_expired once validTo has passed", () => {
    // Prepare
    const agreement = encompass((v) => {
      v.validTo = "2026-11-20T21:44:59.999Z";
    });

    // Act
    const result = evaluate(request(), [agreement], NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "agreement_expired", stopped: false });
  });

  it("with agreement_expired at the very instant of validTo", () => {
    // Prepare
    const agreement = encompass((v) => {
      v.validTo = NOW.toISOString();
    });

    // Act
    const result = evaluate(request(), [agreement], NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "agreement_expired", stopped: false });
  });

  it("with agreement_not_yet_valid before validFrom", () => {
    // Prepare
    const agreement = encompass((v) => {
      v.validFrom = "2026-11-20T21:45:00.001Z";
    });

    // Act
    const result = evaluate(request(), [agreement], NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "agreement_not_yet_valid", stopped: false });
  });

  it("with concern_type_not_covered for a concern type the agreement does not name", () => {
    // Prepare
    const req = request({ concernType: "missing_child" });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "concern_type_not_covered", stopped: false });
  });

  it("with outside_age_range for an 18-year-old against 0-17", () => {
    // Prepare
    const req = request({ recipientId: "essex-mash", age: 18 });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "outside_age_range", stopped: false });
  });

  it("with outside_age_range below the minimum (a 3-year-old against 4-17)", () => {
    // Prepare
    const req = request({ age: 3 });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "outside_age_range", stopped: false });
  });

  it("with outside_area for an area the agreement does not cover", () => {
    // Prepare
    const req = request({ area: "southend" });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "outside_area", stopped: false });
  });

  it("with purpose_not_covered for a purpose the agreement does not name", () => {
    // Prepare
    const req = request({ purpose: "research" });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({ granted: false, reason: "purpose_not_covered", stopped: false });
  });
});

describe("evaluate grants", () => {
  it("the school the categories both asked for and agreed, with the agreement and its lawful basis", () => {
    // Prepare
    const req = request();

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toEqual({
      granted: true,
      agreement: { id: "encompass-st-marys", version: 1 },
      dataCategories: ["identity", "education", "voice_of_child"],
      purpose: "safeguarding",
      lawfulBasis: LAWFUL_BASIS,
      retentionDays: 2555,
    });
  });

  it("only the intersection of requested and agreed categories, in vocabulary order", () => {
    // Prepare
    const req = request({
      requestedCategories: ["officer", "voice_of_child", "special_category", "identity", "contact"],
    });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toMatchObject({ granted: true, dataCategories: ["identity", "voice_of_child"] });
  });

  it("no categories when none requested is agreed", () => {
    // Prepare
    const req = request({ requestedCategories: ["officer", "special_category"] });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toMatchObject({ granted: true, dataCategories: [] });
  });

  it("under the active version when an earlier one is superseded, and names that version", () => {
    // Prepare
    const agreement = encompass((v) => {
      v.status = "superseded";
    });
    const first = agreement.versions[0];
    if (!first) throw new Error("no version");
    agreement.versions.push({
      ...structuredClone(first),
      version: 2,
      status: "active",
      dataCategories: ["identity", "education"],
      lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
    });

    // Act
    const result = evaluate(request(), [agreement], NOW);

    // Assess
    expect(result).toEqual({
      granted: true,
      agreement: { id: "encompass-st-marys", version: 2 },
      dataCategories: ["identity", "education"],
      purpose: "safeguarding",
      lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
      retentionDays: 2555,
    });
  });

  it("a young person of 17, the top of a 0-17 range", () => {
    // Prepare
    const req = request({ recipientId: "essex-mash", age: 17 });

    // Act
    const result = evaluate(req, DEMO_AGREEMENTS, NOW);

    // Assess
    expect(result).toMatchObject({ granted: true, agreement: { id: "mash-essex", version: 1 } });
  });

  it("a copy of the lawful basis, so the caller cannot change the agreement through it", () => {
    // Prepare
    const agreements = [encompass()];

    // Act
    const result = evaluate(request(), agreements, NOW);
    if (result.granted) result.lawfulBasis.push("tampered");

    // Assess
    expect(agreements[0]?.versions[0]?.lawfulBasis).toEqual(LAWFUL_BASIS);
  });
});
