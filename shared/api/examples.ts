import type { OperationId } from "./routes.js";

/**
 * Examples for the OpenAPI document, by operation. A unit test validates every request
 * example against its route's schema, so they cannot drift from what the hub accepts.
 */

const HEALTH_TERMS = {
  title: "Essex health safeguarding",
  purposes: ["safeguarding"],
  lawfulBasis: ["UK GDPR Art. 6(1)(e)", "UK GDPR Art. 9(2)(h)", "Children Act 2004 s11"],
  concernTypes: ["neglect_or_abuse"],
  dataCategories: ["identity", "contact", "risk", "special_category"],
  ageRange: { min: 0, max: 17 },
  areas: ["essex"],
  validFrom: "2026-12-01T00:00:00Z",
  validTo: "2029-11-30T23:59:59Z",
  retentionDays: 2555,
};

const AGREEMENT = {
  id: "health-essex",
  title: "Essex health safeguarding",
  discloserId: "essex-police",
  recipientId: "essex-health",
  versions: [
    {
      version: 1,
      status: "draft",
      ...HEALTH_TERMS,
      validFrom: "2026-12-01T00:00:00.000Z",
      validTo: "2029-11-30T23:59:59.000Z",
      createdAt: "2026-11-24T10:00:00.000Z",
      statusChangedAt: "2026-11-24T10:00:00.000Z",
    },
  ],
};

export const examples: Partial<Record<OperationId, { request?: unknown; response?: unknown }>> = {
  submitConcern: {
    request: {
      concernType: "domestic_abuse_child_present",
      riskRating: "red",
      occurredAt: "2026-11-20T21:40:00Z",
      area: "essex",
      subject: {
        givenName: "Amy",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
        address: { line1: "1 Any Street", postcode: "CM1 1AA" },
        schoolId: "st-marys-primary",
        lookedAfter: false,
      },
      incident: {
        summary: "Argument between adults escalated to assault",
        crimeReference: "42/12345/26",
        offences: ["Common assault"],
      },
      riskFactors: ["Previous incidents at the address"],
      voiceOfChild: { seen: true, spokenTo: false, reasonNotSpokenTo: "asleep" },
      officer: { name: "PC Jane Smith", collarNumber: "1234", phone: "01245 000000" },
    },
    response: {
      id: "con_7190faa5-1360-4d93-85f7-bd0d100e9fa4",
      subjectId: "subj_IaPbWXhr2vJkCDKPK9Wk5loQGoRnjUvp",
      receivedAt: "2026-11-20T21:52:10.619Z",
      notifications: [
        {
          id: "ntf_6b37d16e-075d-40a6-82f2-99cc49327dac",
          recipientId: "st-marys-primary",
          agreement: { id: "encompass-st-marys", version: 1 },
          dataCategories: ["identity", "education", "voice_of_child"],
          dueBy: "2026-11-23T09:00:00.000Z",
          status: "delivered",
          breakGlass: false,
        },
      ],
      refusals: [],
      withheld: [],
      unresolvedRoutes: [],
    },
  },
  recordOutcome: { request: { outcome: "early_help", note: "Family support worker allocated" } },
  registerPartner: {
    request: {
      id: "essex-care",
      name: "Essex Children's Homes",
      type: "care_provider",
      areas: ["essex"],
      clientIds: ["essex-care-app"],
      webhook: { url: "https://care.example.org/lantern/webhook" },
    },
  },
  updatePartner: {
    request: { areas: ["essex", "southend"], webhook: { url: "https://care.example.org/hooks/lantern" } },
  },
  createAgreement: {
    request: {
      id: "health-essex",
      discloserId: "essex-police",
      recipientId: "essex-health",
      ...HEALTH_TERMS,
    },
    response: AGREEMENT,
  },
  addAgreementVersion: { request: { ...HEALTH_TERMS, dataCategories: ["identity", "contact", "risk"] } },
  amendAgreementDraft: { request: { areas: ["essex", "southend"] } },
  replaceRoutingRules: {
    request: {
      rules: [
        {
          id: "encompass-school",
          concernTypes: ["domestic_abuse_child_present", "online_harm"],
          recipient: { resolve: "subject_school" },
          dataCategories: ["identity", "education", "voice_of_child"],
          due: { kind: "next_school_day", at: "09:00" },
        },
        {
          id: "youth-offending",
          concernTypes: ["youth_offending"],
          conditions: { ageRange: { min: 10, max: 17 } },
          recipient: { resolve: "area", type: "youth_offending_service" },
          dataCategories: ["identity", "contact", "education", "offences", "risk", "officer"],
          due: { kind: "after", duration: "PT72H" },
        },
      ],
    },
  },
  replaceCalendar: {
    request: {
      holidays: ["2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29"],
      schoolHolidays: [
        "2026-12-21",
        "2026-12-22",
        "2026-12-23",
        "2026-12-24",
        "2026-12-29",
        "2026-12-30",
        "2026-12-31",
      ],
      workingHours: { start: "08:00", end: "18:00" },
    },
  },
  recordReviewFinding: {
    request: { finding: "justified", note: "Immediate risk confirmed by the duty inspector" },
  },
  recallNotification: {
    request: { reason: "misdirected", note: "Sent to the wrong school: the child moved in October" },
  },
  decideBreach: {
    request: {
      decision: "reported",
      reference: "ICO-2026-0042",
      rationale: "A confidential address reached the wrong setting",
    },
  },
};
