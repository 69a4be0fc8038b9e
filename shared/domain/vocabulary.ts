/**
 * The words Lantern shares with its partners: partner types, concern types, risk ratings,
 * data categories, refusal reasons, outcomes and audit actions. One list each, used by the
 * schemas, the rules and the OpenAPI document alike.
 */

export const PARTNER_TYPES = [
  "police",
  "mash",
  "school",
  "youth_offending_service",
  "local_authority",
  "health",
  "care_provider",
  "voluntary_sector",
] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const CONCERN_TYPES = [
  "domestic_abuse_child_present",
  "missing_child",
  "child_exploitation",
  "online_harm",
  "neglect_or_abuse",
  "child_in_custody",
  "youth_offending",
  "radicalisation",
] as const;
export type ConcernType = (typeof CONCERN_TYPES)[number];

export const RISK_RATINGS = ["red", "amber", "green"] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

export const DATA_CATEGORIES = [
  "identity",
  "contact",
  "confidential_address",
  "education",
  "care_status",
  "incident",
  "offences",
  "risk",
  "voice_of_child",
  "special_category",
  "officer",
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const REFUSAL_REASONS = [
  "no_agreement",
  "agreement_not_active",
  "agreement_expired",
  "agreement_not_yet_valid",
  "concern_type_not_covered",
  "outside_age_range",
  "outside_area",
  "purpose_not_covered",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Why a rule that matched reached nobody (the receipt's `unresolvedRoutes`). */
export const UNRESOLVED_REASONS = [
  "school_not_registered",
  "no_partner_for_area",
  "partner_not_registered",
] as const;
export type UnresolvedReason = (typeof UNRESOLVED_REASONS)[number];

export const NOTIFICATION_STATUSES = ["delivered", "acknowledged", "overdue", "closed", "recalled"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The contract says "delivered" of two things: a notification its recipient has not yet
 * acknowledged, and an outbox message (a push or an alert) its receiver accepted. The code
 * names them apart, UNACKNOWLEDGED and ACCEPTED, so neither reads as the other.
 */
export const UNACKNOWLEDGED = "delivered" satisfies NotificationStatus;

/** Still waiting for its recipient: not yet acknowledged, whether or not past its due time. */
export function awaitingAcknowledgement(status: string): boolean {
  return status === UNACKNOWLEDGED || status === "overdue";
}

/** An outbox message (push or alert): `delivered` once a 2xx or GOV.UK Notify accepted it. */
export const DELIVERY_STATUSES = ["scheduled", "pending", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const ACCEPTED = "delivered" satisfies DeliveryStatus;

export const OUTCOMES = [
  "no_further_action",
  "early_help",
  "child_in_need",
  "child_protection_enquiry",
  "referred_elsewhere",
  "information_only",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const AUDIT_ACTIONS = [
  "disclosure",
  "disclosure_refused",
  "break_glass_disclosure",
  "disclosure_withheld",
  "notification_opened",
  "notification_acknowledged",
  "outcome_recorded",
  "deadline_missed",
  "break_glass_reviewed",
  "agreement_changed",
  "partner_changed",
  "routing_changed",
  "audit_exported",
  "audit_queried",
  "disclosure_recalled",
  "content_erased",
  "breach_decided",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Why IG withdraws a disclosure it made (POST /notifications/{id}/recall). */
export const RECALL_REASONS = ["misdirected", "excessive", "unlawful", "other"] as const;
export type RecallReason = (typeof RECALL_REASONS)[number];

export const BREACH_CAUSES = ["recall", "break_glass_not_justified"] as const;
export type BreachCause = (typeof BREACH_CAUSES)[number];
export const BREACH_STATUSES = ["open", "overdue", "reported", "not_reportable"] as const;
export type BreachStatus = (typeof BREACH_STATUSES)[number];

export const AGREEMENT_STATUSES = ["draft", "active", "superseded", "suspended", "revoked"] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** The purpose every demo agreement and rule shares; rules may name another. */
export const DEFAULT_PURPOSE = "safeguarding";

/** The oldest age Lantern serves: the strategies extend "young people" to 24. */
export const MAX_SUBJECT_AGE = 24;
