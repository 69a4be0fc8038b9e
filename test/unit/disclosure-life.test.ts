import { describe, expect, it } from "vitest";
import type { Caller } from "../../shared/app/context.js";
import { openNotification } from "../../shared/app/notifications.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { evaluateOpening, type MadeDisclosure } from "../../shared/domain/agreements.js";
import type { AuditDraft } from "../../shared/domain/audit.js";
import { defaultCalendar } from "../../shared/domain/calendar.js";
import { minimise } from "../../shared/domain/minimise.js";
import type { Agreement, AgreementVersion, Partner } from "../../shared/domain/registry.js";
import { breachReportBy, notificationRetainUntil } from "../../shared/domain/retention.js";
import { LanternError } from "../../shared/errors.js";
import type {
  ConcernStore,
  NotificationRecord,
  NotificationStore,
  RegistryStore,
  SubjectLinkStore,
  SubmissionWrite,
} from "../../shared/ports.js";
import { amyConcern } from "../support/fixtures.js";

/**
 * The life of a disclosure, decided by the use cases on in-memory ports: a read is refused
 * for every reason the agreement gives, break glass has its limits, retention is computed.
 */

const NOW = new Date("2026-11-21T10:00:00.000Z");
const clock = { now: () => NOW };
let counter = 0;
const ids = { next: (prefix: string) => `${prefix}_${++counter}` };
const subjectKey = Buffer.alloc(32, 3);
/** Amy has no NHS number here, so no identity link is read or written. */
const subjects: SubjectLinkStore = {
  identityLinks: () => Promise.reject(new Error("no NHS number, no links")),
  claimLinks: () => Promise.reject(new Error("no NHS number, no links")),
};

const partner = (id: string): Partner => {
  const found = DEMO_PARTNERS.find((p) => p.id === id);
  if (!found) throw new Error(`no partner ${id}`);
  return found;
};
const callerOf = (partnerId: string, clientId: string): Caller => ({
  partner: partner(partnerId),
  sub: "user-1",
  clientId,
  scopes: new Set(["concerns:submit", "notifications:read"]),
  requestId: "req-1",
});
const officer = callerOf("essex-police", "essex-police-app");
const school = callerOf("st-marys-primary", "st-marys-primary-app");

function demo(id: string, edit: (versions: AgreementVersion[]) => void = () => {}): Agreement {
  const found = DEMO_AGREEMENTS.find((a) => a.id === id);
  if (!found) throw new Error(`no agreement ${id}`);
  const copy = structuredClone(found);
  edit(copy.versions);
  return copy;
}
const first = (versions: AgreementVersion[]) => versions[0] as AgreementVersion;
const edit = (versions: AgreementVersion[], change: Partial<AgreementVersion>) => {
  Object.assign(first(versions), change);
};

/** A registry holding these agreements at revision 1, the demo partners and rules. */
function registryOf(agreements: Agreement[]): RegistryStore {
  return {
    decisionSnapshot: async () => ({
      epoch: 1,
      partners: DEMO_PARTNERS,
      agreements,
      rules: DEMO_RULES,
      calendar: async (area: string) => defaultCalendar(area),
    }),
    routingRules: async () => DEMO_RULES,
    calendar: async (area: string) => ({ value: defaultCalendar(area), revision: 0 }),
    getAgreement: async (id: string) => {
      const value = agreements.find((a) => a.id === id);
      return value ? { value, revision: 1 } : null;
    },
  } as Partial<RegistryStore> as RegistryStore;
}

/** A concern store that keeps what one submission would commit. */
function recordingConcerns() {
  const written: SubmissionWrite[] = [];
  const store = {
    recordConcern: async (s: SubmissionWrite) => {
      written.push(s);
      return "ok" as const;
    },
    findIdempotency: async () => null,
  } as Partial<ConcernStore> as ConcernStore;
  return { store, written };
}

async function submitWith(agreements: Agreement[], breakGlass = false, concernType = "neglect_or_abuse") {
  const { store, written } = recordingConcerns();
  const concern = amyConcern({
    concernType: concernType as "neglect_or_abuse",
    ...(breakGlass
      ? { breakGlass: { justification: "Immediate risk: the child disclosed an injury today" } }
      : {}),
  });
  const response = await submitConcern(
    { clock, ids, registry: registryOf(agreements), concerns: store, subjectKey, subjects },
    officer,
    concern,
    undefined,
  );
  return { response, write: written[0] as SubmissionWrite };
}

describe("break glass", () => {
  it("is refused with 403 for a partner that is not police, before anything is read", async () => {
    // Prepare: stores that fail the test if touched.
    const untouched = new Proxy({}, { get: () => () => Promise.reject(new Error("store touched")) });
    const concern = amyConcern({
      breakGlass: { justification: "A school may not break glass on a concern" },
    });

    // Act
    const attempt = submitConcern(
      {
        clock,
        ids,
        registry: untouched as RegistryStore,
        concerns: untouched as ConcernStore,
        subjectKey,
        subjects,
      },
      callerOf("essex-mash", "essex-mash-portal"),
      concern,
      undefined,
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("shares with a recipient that has no agreement, retained for the break-glass period", async () => {
    // Act: neglect routes to essex-health, which has no agreement.
    const { write } = await submitWith(DEMO_AGREEMENTS, true);

    // Assess
    const health = write.notifications.find((n) => n.recipientId === "essex-health");
    expect(health?.breakGlass).toBe(true);
    expect(health?.retainUntil).toBe("2027-02-19T10:00:00.000Z"); // 90 days
    expect(write.events.find((e) => e.recipientId === "essex-health")?.action).toBe("break_glass_disclosure");
  });

  it.each(["suspended", "revoked"] as const)(
    "never overrides an agreement whose version IG %s: the route stays refused with agreement_not_active",
    async (status) => {
      // Prepare: health has an agreement, and IG stopped it.
      const health = demo("mash-essex", (versions) => {
        first(versions).status = status;
      });
      health.id = "health-essex";
      health.recipientId = "essex-health";

      // Act
      const { response, write } = await submitWith([...DEMO_AGREEMENTS, health], true);

      // Assess
      const receipt = response.body as { refusals: { recipientId: string; reason: string }[] };
      expect(receipt.refusals).toContainEqual({
        recipientId: "essex-health",
        reason: "agreement_not_active",
      });
      expect(write.notifications.map((n) => n.recipientId)).not.toContain("essex-health");
      expect(write.reviews).toEqual([]);
    },
  );

  it("still overrides a draft-only agreement (never signed off, so nothing was stopped)", async () => {
    // Prepare
    const health = demo("mash-essex", (versions) => {
      first(versions).status = "draft";
    });
    health.id = "health-essex";
    health.recipientId = "essex-health";

    // Act
    const { write } = await submitWith([...DEMO_AGREEMENTS, health], true);

    // Assess
    expect(write.notifications.map((n) => n.recipientId)).toContain("essex-health");
  });
});

describe("retention", () => {
  it("keeps an agreement's notification for the version's retentionDays from createdAt", async () => {
    // Act
    const { write } = await submitWith(DEMO_AGREEMENTS, false, "domestic_abuse_child_present");

    // Assess: 2555 days from 2026-11-21T10:00Z.
    for (const n of write.notifications) expect(n.retainUntil).toBe("2033-11-19T10:00:00.000Z");
    expect(write.concern.eraseAfter).toBe("2032-11-19T10:00:00.000Z"); // 2190 days
  });

  it("computes retainUntil from the agreement, or the break-glass period without one", () => {
    expect(notificationRetainUntil("2026-01-01T00:00:00.000Z", 30, 90)).toBe("2026-01-31T00:00:00.000Z");
    expect(notificationRetainUntil("2026-01-01T00:00:00.000Z", null, 90)).toBe("2026-04-01T00:00:00.000Z");
    expect(breachReportBy("2026-11-21T10:00:00.000Z")).toBe("2026-11-24T10:00:00.000Z");
  });
});

/** The school's notification for Amy, made under encompass-st-marys version 1. */
function schoolNotification(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  const dataCategories = ["identity", "education", "voice_of_child"] as const;
  const payload = minimise(amyConcern(), "subj_1", dataCategories);
  return {
    id: "ntf_school",
    recipientId: "st-marys-primary",
    status: "delivered",
    concernId: "con_1",
    concernType: "domestic_abuse_child_present",
    occurredAt: "2026-11-20T21:40:00.000Z",
    dueBy: "2026-11-23T09:00:00.000Z",
    agreement: { id: "encompass-st-marys", version: 1 },
    dataCategories: [...dataCategories],
    purpose: "safeguarding",
    lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
    breakGlass: false,
    subjectId: "subj_1",
    discloserId: "essex-police",
    createdAt: "2026-11-20T21:52:00.000Z",
    acknowledgedAt: null,
    acknowledgedBy: null,
    outcome: null,
    payload,
    payloadSha256: "x",
    area: "essex",
    subjectDateOfBirth: "2017-03-02",
    retainUntil: "2033-11-19T10:00:00.000Z",
    erasedAt: null,
    recall: null,
    ...overrides,
  };
}

async function open(n: NotificationRecord, agreements: Agreement[]) {
  const audited: AuditDraft[] = [];
  const notifications = {
    getNotification: async () => n,
    audit: async (events: AuditDraft[]) => {
      audited.push(...events);
      return [];
    },
  } as Partial<NotificationStore> as NotificationStore;
  const deps = {
    clock,
    ids,
    notifications,
    registry: registryOf(agreements),
    concerns: { getConcern: async () => null },
  };
  const result = await openNotification(deps, school, n.id).catch((error: unknown) => error);
  return { result, audited };
}

describe("opening a notification decides the disclosure again", () => {
  const refusals: [string, (versions: AgreementVersion[]) => void, string][] = [
    ["suspended", (v) => edit(v, { status: "suspended" }), "agreement_not_active"],
    ["revoked", (v) => edit(v, { status: "revoked" }), "agreement_not_active"],
    ["expired", (v) => edit(v, { validTo: "2026-11-01T00:00:00.000Z" }), "agreement_expired"],
    [
      "superseded with no active version left",
      (v) => edit(v, { status: "superseded" }),
      "agreement_not_active",
    ],
    [
      "narrowed to other concern types",
      (v) => edit(v, { concernTypes: ["online_harm"] }),
      "concern_type_not_covered",
    ],
  ];

  it.each(refusals)(
    "refuses with 403 disclosure_withdrawn when the agreement is %s, audited with the reason",
    async (_name, edit, reason) => {
      // Act
      const { result, audited } = await open(schoolNotification(), [demo("encompass-st-marys", edit)]);

      // Assess
      expect(result).toBeInstanceOf(LanternError);
      expect(result).toMatchObject({ status: 403, code: "disclosure_withdrawn" });
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({
        action: "disclosure_refused",
        notificationId: "ntf_school",
        reason,
      });
    },
  );

  it("opens again once the agreement is active, with every category it was made with", async () => {
    // Act
    const { result, audited } = await open(schoolNotification(), [demo("encompass-st-marys")]);

    // Assess
    expect(result).toMatchObject({ payload: schoolNotification().payload });
    expect(audited[0]).toMatchObject({
      action: "notification_opened",
      dataCategories: ["identity", "education", "voice_of_child"],
    });
  });

  it("shows only what the active version grants when a superseding one grants fewer categories", async () => {
    // Prepare: version 2 drops voice_of_child.
    const agreement = demo("encompass-st-marys", (versions) => {
      const v1 = first(versions);
      versions.push({ ...structuredClone(v1), version: 2, dataCategories: ["identity", "education"] });
      v1.status = "superseded";
    });

    // Act
    const { result, audited } = await open(schoolNotification(), [agreement]);

    // Assess
    const shown = result as { payload: Record<string, unknown>; dataCategories: string[] };
    expect(shown.dataCategories).toEqual(["identity", "education"]);
    expect(shown.payload).not.toHaveProperty("voiceOfChild");
    expect(shown.payload.subject).toMatchObject({ givenName: "Amy", schoolId: "st-marys-primary" });
    expect(audited[0]).toMatchObject({
      action: "notification_opened",
      agreement: { id: "encompass-st-marys", version: 2 },
      dataCategories: ["identity", "education"],
    });
  });

  it("answers 410 disclosure_recalled for a recalled notification, and audits the attempt", async () => {
    // Act
    const { result, audited } = await open(schoolNotification({ status: "recalled", payload: null }), [
      demo("encompass-st-marys"),
    ]);

    // Assess
    expect(result).toMatchObject({ status: 410, code: "disclosure_recalled" });
    expect(audited[0]).toMatchObject({ action: "disclosure_refused", reason: "disclosure_recalled" });
  });

  it("opens a break-glass notification without an agreement until it is recalled", async () => {
    // Act
    const { result } = await open(schoolNotification({ breakGlass: true, agreement: null }), []);

    // Assess
    expect(result).toMatchObject({ status: "delivered", payload: schoolNotification().payload });
  });

  it("evaluates an opening against the cited agreement only, whatever else the pair has", () => {
    // Prepare: another active agreement for the same pair does not reopen a suspended one.
    const suspended = demo("encompass-st-marys", (v) => edit(v, { status: "suspended" }));
    const other = { ...demo("encompass-st-marys"), id: "encompass-other" };
    const made: MadeDisclosure = {
      agreementId: "encompass-st-marys",
      discloserId: "essex-police",
      recipientId: "st-marys-primary",
      purpose: "safeguarding",
      concernType: "domestic_abuse_child_present",
      area: "essex",
      age: 9,
      dataCategories: ["identity"],
    };

    // Act
    const result = evaluateOpening(made, [suspended, other], NOW);

    // Assess
    expect(result).toMatchObject({ granted: false, reason: "agreement_not_active" });
  });
});
