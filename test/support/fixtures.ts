import type { Caller } from "../../shared/app/context.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import type { ConcernSubmission } from "../../shared/domain/concern.js";

/** The contract's example concern: a red domestic abuse incident with Amy present. */
export function amyConcern(overrides: Partial<ConcernSubmission> = {}): ConcernSubmission {
  return {
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
      specialCategory: { ethnicity: "White British", health: "Asthma" },
    },
    incident: {
      summary: "Argument between adults escalated to assault",
      location: "Family home",
      crimeReference: "42/12345/26",
      offences: ["Common assault"],
    },
    riskFactors: ["Previous incidents at the address"],
    voiceOfChild: { seen: true, spokenTo: false, reasonNotSpokenTo: "asleep", views: "Appeared settled" },
    officer: { name: "PC Jane Smith", collarNumber: "1234", phone: "01245 000000" },
    ...overrides,
  };
}

/** The demo registry's police force submitting a concern. */
export function submittingPolice(sub: string, requestId: string): Caller {
  const partner = DEMO_PARTNERS.find((p) => p.id === "essex-police");
  if (!partner) throw new Error("demo registry has no police");
  return { partner, sub, clientId: "essex-police-app", scopes: new Set(["concerns:submit"]), requestId };
}
