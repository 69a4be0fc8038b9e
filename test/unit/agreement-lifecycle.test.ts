import { describe, expect, it } from "vitest";
import {
  addVersion,
  changeStatus,
  createAgreement,
  type LifecycleAction,
  type LifecycleResult,
  updateDraft,
} from "../../shared/domain/agreement-lifecycle.js";
import type { Agreement, AgreementCreate, AgreementTerms } from "../../shared/domain/registry.js";
import type { AgreementStatus } from "../../shared/domain/vocabulary.js";

/** The life of a data-sharing agreement (contract: Agreements): drafts, activation, and final states. */

const CREATED_AT = "2026-11-01T10:00:00.000Z";
const LATER = "2026-11-10T12:00:00.000Z";
const LATEST = "2026-11-20T08:30:00.000Z";

function terms(overrides: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    title: "Operation Encompass: St Mary's Primary",
    purposes: ["safeguarding"],
    lawfulBasis: ["UK GDPR Art. 6(1)(e)", "Children Act 2004 s11"],
    concernTypes: ["domestic_abuse_child_present", "online_harm"],
    dataCategories: ["identity", "education", "voice_of_child"],
    ageRange: { min: 4, max: 17 },
    areas: ["essex"],
    validFrom: "2026-04-01T00:00:00Z",
    validTo: "2028-03-31T23:59:59.999Z",
    retentionDays: 2555,
    ...overrides,
  };
}

function createInput(overrides: Partial<AgreementCreate> = {}): AgreementCreate {
  return {
    id: "encompass-st-marys",
    discloserId: "essex-police",
    recipientId: "st-marys-primary",
    ...terms(),
    ...overrides,
  };
}

/** Freezes a value and everything it holds, so any mutation throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

function agreementOf(result: LifecycleResult): Agreement {
  if (!result.ok) throw new Error(`expected success, got ${result.problem}: ${result.detail}`);
  return result.agreement;
}

function statuses(agreement: Agreement): { version: number; status: AgreementStatus }[] {
  return agreement.versions.map((v) => ({ version: v.version, status: v.status }));
}

function versionOf(agreement: Agreement, version: number) {
  const found = agreement.versions.find((v) => v.version === version);
  if (!found) throw new Error(`no version ${version}`);
  return found;
}

/** An agreement whose version 1 has reached `status` by allowed moves. */
function withVersionOne(status: AgreementStatus): Agreement {
  const draft = createAgreement(createInput(), CREATED_AT);
  const moves: Record<AgreementStatus, (LifecycleAction | "supersede")[]> = {
    draft: [],
    active: ["activate"],
    suspended: ["activate", "suspend"],
    revoked: ["activate", "revoke"],
    superseded: ["activate", "supersede"],
  };
  let agreement = draft;
  for (const move of moves[status]) {
    if (move === "supersede") {
      agreement = addVersion(agreement, terms({ title: "Renewed" }), LATER);
      agreement = agreementOf(changeStatus(agreement, 2, "activate", LATER));
    } else {
      agreement = agreementOf(changeStatus(agreement, 1, move, LATER));
    }
  }
  expect(versionOf(agreement, 1).status).toBe(status);
  return agreement;
}

describe("createAgreement", () => {
  it("creates version 1 as a draft carrying the terms", () => {
    // Prepare
    const input = createInput();

    // Act
    const agreement = createAgreement(input, CREATED_AT);

    // Assess
    expect(agreement).toEqual({
      id: "encompass-st-marys",
      title: "Operation Encompass: St Mary's Primary",
      discloserId: "essex-police",
      recipientId: "st-marys-primary",
      versions: [
        {
          version: 1,
          status: "draft",
          title: "Operation Encompass: St Mary's Primary",
          purposes: ["safeguarding"],
          lawfulBasis: ["UK GDPR Art. 6(1)(e)", "Children Act 2004 s11"],
          concernTypes: ["domestic_abuse_child_present", "online_harm"],
          dataCategories: ["identity", "education", "voice_of_child"],
          ageRange: { min: 4, max: 17 },
          areas: ["essex"],
          validFrom: "2026-04-01T00:00:00.000Z",
          validTo: "2028-03-31T23:59:59.999Z",
          retentionDays: 2555,
          createdAt: CREATED_AT,
          statusChangedAt: CREATED_AT,
        },
      ],
    });
  });

  it("normalises validFrom and validTo with an offset to ISO 8601 UTC with milliseconds", () => {
    // Prepare
    const input = createInput({
      validFrom: "2026-04-01T00:00:00+01:00",
      validTo: "2028-03-31T23:59:59-00:30",
    });

    // Act
    const agreement = createAgreement(input, CREATED_AT);

    // Assess
    const v1 = versionOf(agreement, 1);
    expect(v1.validFrom).toBe("2026-03-31T23:00:00.000Z");
    expect(v1.validTo).toBe("2028-04-01T00:29:59.000Z");
  });
});

describe("addVersion", () => {
  it("numbers new versions 2 then 3, drafts with normalised dates, and sets the agreement's title", () => {
    // Prepare
    const v1Active = agreementOf(
      changeStatus(createAgreement(createInput(), CREATED_AT), 1, "activate", LATER),
    );

    // Act
    const withV2 = addVersion(v1Active, terms({ title: "Second edition" }), LATER);
    const v3Terms = terms({
      title: "Third edition",
      retentionDays: 365,
      validFrom: "2027-01-01T09:00:00+09:00",
    });
    const withV3 = addVersion(withV2, v3Terms, LATEST);

    // Assess
    expect(withV2.title).toBe("Second edition");
    expect(statuses(withV2)).toEqual([
      { version: 1, status: "active" },
      { version: 2, status: "draft" },
    ]);
    expect(withV3.title).toBe("Third edition");
    expect(statuses(withV3)).toEqual([
      { version: 1, status: "active" },
      { version: 2, status: "draft" },
      { version: 3, status: "draft" },
    ]);
    expect(versionOf(withV3, 3)).toMatchObject({
      title: "Third edition",
      retentionDays: 365,
      validFrom: "2027-01-01T00:00:00.000Z",
      createdAt: LATEST,
      statusChangedAt: LATEST,
    });
  });

  it("leaves the existing versions' terms as they were", () => {
    // Prepare
    const agreement = withVersionOne("active");
    const before = structuredClone(versionOf(agreement, 1));

    // Act
    const result = addVersion(agreement, terms({ areas: ["southend"], retentionDays: 30 }), LATEST);

    // Assess
    expect(versionOf(result, 1)).toEqual(before);
  });
});

describe("changeStatus", () => {
  it("activates a draft", () => {
    // Prepare
    const agreement = createAgreement(createInput(), CREATED_AT);

    // Act
    const result = changeStatus(agreement, 1, "activate", LATER);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([{ version: 1, from: "draft", to: "active" }]);
    expect(versionOf(result.agreement, 1)).toMatchObject({
      status: "active",
      statusChangedAt: LATER,
      createdAt: CREATED_AT,
    });
  });

  it("supersedes the active version 1 when version 2 is activated", () => {
    // Prepare
    const agreement = addVersion(withVersionOne("active"), terms({ title: "Renewed" }), LATER);

    // Act
    const result = changeStatus(agreement, 2, "activate", LATEST);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([
      { version: 2, from: "draft", to: "active" },
      { version: 1, from: "active", to: "superseded" },
    ]);
    expect(statuses(result.agreement)).toEqual([
      { version: 1, status: "superseded" },
      { version: 2, status: "active" },
    ]);
    expect(versionOf(result.agreement, 1).statusChangedAt).toBe(LATEST);
    expect(versionOf(result.agreement, 2).statusChangedAt).toBe(LATEST);
  });

  it("leaves exactly one active version after activating a later one", () => {
    // Prepare
    let agreement = addVersion(withVersionOne("active"), terms(), LATER);
    agreement = agreementOf(changeStatus(agreement, 2, "activate", LATER));
    agreement = addVersion(agreement, terms(), LATEST);

    // Act
    const result = agreementOf(changeStatus(agreement, 3, "activate", LATEST));

    // Assess
    expect(statuses(result)).toEqual([
      { version: 1, status: "superseded" },
      { version: 2, status: "superseded" },
      { version: 3, status: "active" },
    ]);
  });

  it("suspends an active version", () => {
    // Prepare
    const agreement = withVersionOne("active");

    // Act
    const result = changeStatus(agreement, 1, "suspend", LATEST);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([{ version: 1, from: "active", to: "suspended" }]);
    expect(versionOf(result.agreement, 1)).toMatchObject({ status: "suspended", statusChangedAt: LATEST });
  });

  it.each([
    ["suspend", "draft"],
    ["suspend", "suspended"],
    ["activate", "active"],
  ] as const)("refuses to %s a %s version", (action, status) => {
    // Prepare
    const agreement = withVersionOne(status);

    // Act
    const result = changeStatus(agreement, 1, action, LATEST);

    // Assess
    expect(result).toMatchObject({ ok: false, problem: "not_allowed" });
  });

  it("activates a suspended version again", () => {
    // Prepare
    const agreement = withVersionOne("suspended");

    // Act
    const result = changeStatus(agreement, 1, "activate", LATEST);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([{ version: 1, from: "suspended", to: "active" }]);
    expect(versionOf(result.agreement, 1)).toMatchObject({ status: "active", statusChangedAt: LATEST });
  });

  it.each(["draft", "active", "suspended"] as const)("revokes a %s version", (status) => {
    // Prepare
    const agreement = withVersionOne(status);

    // Act
    const result = changeStatus(agreement, 1, "revoke", LATEST);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([{ version: 1, from: status, to: "revoked" }]);
    expect(versionOf(result.agreement, 1)).toMatchObject({ status: "revoked", statusChangedAt: LATEST });
  });

  const finalCases = (["revoked", "superseded"] as const).flatMap((status) =>
    (["activate", "suspend", "revoke"] as const).map((action) => [status, action] as const),
  );
  it.each(finalCases)("keeps a %s version final: %s is not_allowed", (status, action) => {
    // Prepare
    const agreement = withVersionOne(status);

    // Act
    const result = changeStatus(agreement, 1, action, LATEST);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      problem: "not_allowed",
      detail: expect.stringContaining(status),
    });
  });

  it.each([0, 2, 99, -1])("answers no_such_version for version %d", (version) => {
    // Prepare
    const agreement = withVersionOne("active");

    // Act
    const result = changeStatus(agreement, version, "suspend", LATEST);

    // Assess
    expect(result).toMatchObject({ ok: false, problem: "no_such_version" });
  });
});

describe("updateDraft", () => {
  it("changes a draft's terms and keeps its number, status and createdAt", () => {
    // Prepare
    const agreement = addVersion(withVersionOne("active"), terms(), LATER);
    const changed = terms({
      title: "Amended draft",
      areas: ["essex", "southend"],
      ageRange: { min: 0, max: 24 },
      validTo: "2029-03-31T23:59:59+00:00",
    });

    // Act
    const result = updateDraft(agreement, 2, changed, LATEST);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toEqual([]);
    expect(versionOf(result.agreement, 2)).toMatchObject({
      version: 2,
      status: "draft",
      title: "Amended draft",
      areas: ["essex", "southend"],
      ageRange: { min: 0, max: 24 },
      validTo: "2029-03-31T23:59:59.000Z",
      createdAt: LATER,
    });
    expect(versionOf(result.agreement, 1)).toEqual(versionOf(agreement, 1));
  });

  it.each(["active", "suspended", "superseded", "revoked"] as const)(
    "refuses to change the terms of a %s version",
    (status) => {
      // Prepare
      const agreement = withVersionOne(status);
      const before = structuredClone(agreement);

      // Act
      const result = updateDraft(agreement, 1, terms({ areas: ["southend"], retentionDays: 1 }), LATEST);

      // Assess
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problem).toBe("not_allowed");
      expect(result.detail).toContain(status);
      expect(agreement).toEqual(before);
    },
  );

  it("answers no_such_version for a version that does not exist", () => {
    // Prepare
    const agreement = createAgreement(createInput(), CREATED_AT);

    // Act
    const result = updateDraft(agreement, 2, terms(), LATEST);

    // Assess
    expect(result).toMatchObject({ ok: false, problem: "no_such_version" });
  });
});

describe("the lifecycle never mutates its input", () => {
  const frozenWithBoth = () => {
    let agreement = addVersion(withVersionOne("active"), terms({ title: "Renewed" }), LATER);
    agreement = addVersion(agreement, terms({ title: "Another draft" }), LATER);
    const snapshot = structuredClone(agreement);
    return { agreement: deepFreeze(agreement), snapshot };
  };

  it("createAgreement leaves a frozen input as it was", () => {
    // Prepare
    const input = createInput({ validFrom: "2026-04-01T00:00:00+01:00" });
    const snapshot = structuredClone(input);
    deepFreeze(input);

    // Act
    const act = () => createAgreement(input, CREATED_AT);

    // Assess
    expect(act).not.toThrow();
    expect(input).toEqual(snapshot);
  });

  it("addVersion leaves a frozen agreement and terms as they were", () => {
    // Prepare
    const { agreement, snapshot } = frozenWithBoth();
    const newTerms = deepFreeze(terms({ validFrom: "2027-01-01T00:00:00+02:00" }));

    // Act
    const act = () => addVersion(agreement, newTerms, LATEST);

    // Assess
    expect(act).not.toThrow();
    expect(act().versions).toHaveLength(4);
    expect(agreement).toEqual(snapshot);
    expect(newTerms.validFrom).toBe("2027-01-01T00:00:00+02:00");
  });

  it.each([
    [2, "activate"],
    [1, "suspend"],
    [1, "revoke"],
    [3, "revoke"],
  ] as const)("changeStatus(version %d, %s) leaves a frozen agreement as it was", (version, action) => {
    // Prepare
    const { agreement, snapshot } = frozenWithBoth();

    // Act
    let result: LifecycleResult | undefined;
    const act = () => {
      result = changeStatus(agreement, version, action, LATEST);
    };

    // Assess
    expect(act).not.toThrow();
    expect(result?.ok).toBe(true);
    expect(agreement).toEqual(snapshot);
  });

  it("updateDraft leaves a frozen agreement and terms as they were", () => {
    // Prepare
    const { agreement, snapshot } = frozenWithBoth();
    const newTerms = deepFreeze(terms({ title: "Amended" }));

    // Act
    let result: LifecycleResult | undefined;
    const act = () => {
      result = updateDraft(agreement, 3, newTerms, LATEST);
    };

    // Assess
    expect(act).not.toThrow();
    expect(result?.ok).toBe(true);
    expect(agreement).toEqual(snapshot);
  });

  it("a refused change leaves a frozen agreement as it was", () => {
    // Prepare
    const { agreement, snapshot } = frozenWithBoth();

    // Act
    const refusals = [
      changeStatus(agreement, 1, "activate", LATEST),
      changeStatus(agreement, 7, "revoke", LATEST),
      updateDraft(agreement, 1, terms(), LATEST),
    ];

    // Assess
    expect(refusals.map((r) => r.ok)).toEqual([false, false, false]);
    expect(agreement).toEqual(snapshot);
  });
});
