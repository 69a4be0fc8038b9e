import type { Agreement, AgreementVersion } from "./registry.js";
import { orderCategories } from "./routing.js";
import type { DataCategory, RefusalReason } from "./vocabulary.js";

/** Who discloses to whom, for what, about which concern and child: what an agreement must cover. */
export interface DisclosureScope {
  discloserId: string;
  recipientId: string;
  purpose: string;
  concernType: string;
  area: string;
  /** Whole years at the time of disclosure (at an opening, now: opening is the disclosure). */
  age: number;
}

export interface DisclosureRequest extends DisclosureScope {
  /** What the routing rule says the recipient needs. */
  requestedCategories: readonly DataCategory[];
}

export type Evaluation =
  | {
      granted: true;
      agreement: { id: string; version: number };
      dataCategories: DataCategory[];
      purpose: string;
      lawfulBasis: string[];
      /** How long the recipient may hold what it is told under this version. */
      retentionDays: number;
    }
  | {
      granted: false;
      reason: RefusalReason;
      /**
       * IG stopped this sharing on purpose: an agreement for the pair has a suspended or
       * revoked version and none active. Break glass never overrides that.
       */
      stopped: boolean;
    };

/**
 * How far a version got before it refused: the reason from the version that got furthest is
 * the most useful one to give IG ("the agreement is there but does not cover this area").
 */
const REFUSAL_DEPTH: Record<RefusalReason, number> = {
  no_agreement: 0,
  agreement_not_active: 1,
  agreement_not_yet_valid: 2,
  agreement_expired: 2,
  purpose_not_covered: 3,
  concern_type_not_covered: 4,
  outside_age_range: 5,
  outside_area: 6,
};

function check(version: AgreementVersion, request: DisclosureRequest, now: Date): RefusalReason | null {
  if (version.status !== "active") return "agreement_not_active";
  if (now.getTime() < Date.parse(version.validFrom)) return "agreement_not_yet_valid";
  if (now.getTime() >= Date.parse(version.validTo)) return "agreement_expired";
  if (!version.purposes.includes(request.purpose)) return "purpose_not_covered";
  if (!version.concernTypes.includes(request.concernType as never)) return "concern_type_not_covered";
  if (request.age < version.ageRange.min || request.age > version.ageRange.max) return "outside_age_range";
  if (!version.areas.includes(request.area)) return "outside_area";
  return null;
}

/**
 * Does an agreement authorise this disclosure now, and with which categories? Only an active
 * version inside its validity period that covers the purpose, concern type, age and area
 * authorises; it grants the categories the rule asks for that the agreement also allows.
 */
export function evaluate(
  request: DisclosureRequest,
  agreements: readonly Agreement[],
  now: Date,
): Evaluation {
  const candidates = agreements.filter(
    (a) => a.recipientId === request.recipientId && a.discloserId === request.discloserId,
  );
  let refusal: RefusalReason = "no_agreement";
  for (const agreement of candidates) {
    for (const version of agreement.versions) {
      const reason = check(version, request, now);
      if (reason === null) {
        const allowed = new Set(version.dataCategories);
        return {
          granted: true,
          agreement: { id: agreement.id, version: version.version },
          dataCategories: orderCategories(request.requestedCategories.filter((c) => allowed.has(c))),
          purpose: request.purpose,
          lawfulBasis: [...version.lawfulBasis],
          retentionDays: version.retentionDays,
        };
      }
      if (REFUSAL_DEPTH[reason] > REFUSAL_DEPTH[refusal] || refusal === "no_agreement") refusal = reason;
    }
  }
  return { granted: false, reason: refusal, stopped: candidates.some(stoppedByGovernance) };
}

function stoppedByGovernance(agreement: Agreement): boolean {
  const statuses = agreement.versions.map((v) => v.status);
  return !statuses.includes("active") && (statuses.includes("suspended") || statuses.includes("revoked"));
}

/** What a notification carries about the disclosure it was made as, for deciding an opening. */
export interface MadeDisclosure extends DisclosureScope {
  agreementId: string;
  dataCategories: readonly DataCategory[];
}

/**
 * May the recipient open this notification now, and see which categories? The same rules as
 * at submission, against the agreement the notification cites: it opens only while that
 * agreement has an active version inside its validity period that covers it, and shows the
 * categories that version grants of those the notification was made with.
 */
export function evaluateOpening(
  made: MadeDisclosure,
  agreements: readonly Agreement[],
  now: Date,
): Evaluation {
  const { agreementId, dataCategories, ...scope } = made;
  return evaluate(
    { ...scope, requestedCategories: dataCategories },
    agreements.filter((a) => a.id === agreementId),
    now,
  );
}
