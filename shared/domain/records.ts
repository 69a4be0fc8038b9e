import type { AlertRoute } from "./alerts.js";
import type { Actor, AuditDraft, ChainProblem } from "./audit.js";
import type { CheckpointPayload } from "./checkpoint.js";
import type { ConcernSubmission } from "./concern.js";
import type { Payload } from "./minimise.js";
import type { Partner } from "./registry.js";
import type { UnresolvedRoute } from "./routing.js";
import type {
  BreachCause,
  BreachStatus,
  ConcernType,
  DataCategory,
  DeliveryStatus,
  NotificationStatus,
  Outcome,
  RecallReason,
  RefusalReason,
  RiskRating,
} from "./vocabulary.js";

/**
 * What the hub keeps: the records the use cases read and write through the ports
 * (shared/ports.ts), in the domain's own words. Types only, so the domain stays pure.
 */

export interface NotificationRecord {
  id: string;
  recipientId: string;
  status: NotificationStatus;
  concernId: string;
  concernType: ConcernType;
  occurredAt: string;
  dueBy: string;
  agreement: { id: string; version: number } | null;
  dataCategories: DataCategory[];
  purpose: string;
  lawfulBasis: string[] | null;
  breakGlass: boolean;
  subjectId: string;
  discloserId: string;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: Actor | null;
  outcome: { outcome: Outcome; note: string | null; recordedAt: string; recordedBy: Actor } | null;
  /** null once erased (retention) or recalled. */
  payload: Payload | null;
  payloadSha256: string;
  /** The concern's area and the child's date of birth: what an opening is decided on again. */
  area: string;
  subjectDateOfBirth: string | null;
  /** createdAt plus the agreement version's retentionDays (break glass: the hub's). */
  retainUntil: string;
  erasedAt: string | null;
  recall: NotificationRecall | null;
}

export interface NotificationRecall {
  reason: RecallReason;
  /** IG's free text: personal data, never in the trail. */
  note: string | null;
  at: string;
  by: Actor;
}

export interface ConcernRecord {
  id: string;
  discloserId: string;
  submittedBy: Actor;
  receivedAt: string;
  subjectId: string;
  concernType: ConcernType;
  riskRating: RiskRating;
  area: string;
  occurredAt: string;
  /** null once erased, after the concern retention period. */
  body: Omit<ConcernSubmission, "breakGlass"> | null;
  breakGlass: { justification: string } | null;
  eraseAfter: string;
  erasedAt: string | null;
  notificationIds: string[];
  refusals: { recipientId: string; reason: RefusalReason }[];
  unresolvedRoutes: UnresolvedRoute[];
  /** Routed recipients the officer decided not to tell (Children Act 2004 s16LA). */
  withheld?: { recipientId: string; reason: "more_detrimental" }[];
}

/** An answer kept to be given again; `Body` is the route's declared response body. */
export interface StoredResponse<Body = unknown> {
  statusCode: number;
  body: Body;
}

export interface Idempotency<Body = unknown> {
  partnerId: string;
  key: string;
  requestSha256: string;
  response: StoredResponse<Body>;
  /** Unix seconds: when it was stored, and when it stops answering (DynamoDB's TTL deletes it later). */
  storedAt: number;
  expiresAt: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditQuery {
  subjectId?: string | undefined;
  partnerId?: string | undefined;
  concernId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A registry entry with the revision its next write must find (optimistic concurrency). */
export interface Versioned<T> {
  value: T;
  revision: number;
}

/** Whose webhook a push goes to: the partner's own, or its escalation contact's (own secret). */
export type WebhookOwner = "partner" | "escalation_contact";

export interface WebhookSecrets {
  current: string;
  previous: string | null;
  previousValidUntil: string | null;
}

export interface PartnerRecord extends Partner {
  createdAt: string;
  updatedAt: string;
}

export interface BreakGlassReview {
  /** The notification the break-glass disclosure created; for a withheld disclosure, its own id. */
  id: string;
  /** A break glass (shared without an agreement) or a decision not to share (`withhold`). */
  kind?: "break_glass" | "withheld";
  concernId: string;
  subjectId: string;
  recipientId: string;
  discloserId: string;
  disclosedAt: string;
  disclosedBy: Actor;
  dataCategories: DataCategory[];
  /** The refusal a break glass overrode; null for a withheld disclosure. */
  overrodeReason: RefusalReason | null;
  justification: string;
  status: "pending" | "reviewed";
  finding: "justified" | "not_justified" | "needs_follow_up" | null;
  note: string | null;
  reviewedAt: string | null;
  reviewedBy: Actor | null;
}

/** A personal data breach record (UK GDPR Art. 33): reported within 72 hours or recorded as not. */
export interface Breach {
  id: string;
  cause: BreachCause;
  notificationId: string;
  concernId: string;
  recipientId: string;
  subjectId: string;
  detectedAt: string;
  reportBy: string;
  status: BreachStatus;
  decision: {
    decision: "reported" | "not_reportable";
    reference: string | null;
    /** IG's reasoning: kept with the breach, out of the trail. */
    rationale: string | null;
    decidedAt: string;
    decidedBy: Actor;
  } | null;
}

/** Everything one submission writes, in one transaction. */
export interface SubmissionWrite {
  concern: ConcernRecord;
  notifications: NotificationRecord[];
  events: AuditDraft[];
  idempotency: Idempotency | null;
  reviews: BreakGlassReview[];
  deliveries: Delivery[];
  /** The registry epoch it was decided at, checked at commit: if it moved, nothing is written. */
  registryEpoch: number;
  /** Epoch milliseconds: the submission's time budget ends here, retries included. */
  commitBy?: number;
}

/** Content due to be erased: a notification's payload and note, or a concern's body. */
export interface ErasureDue {
  kind: "notification" | "concern";
  id: string;
  eraseAt: string;
}

export interface Verification {
  valid: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  problems: ChainProblem[];
}

export interface StoredCheckpoint {
  number: number;
  jws: string;
  payload: CheckpointPayload;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  error: string | null;
  durationMs: number;
  /** An alert's GOV.UK Notify notification id, once Notify accepted it (never the address). */
  notifyId?: string | null;
}

/** A push message in the durable outbox, written in the same transaction as its cause. */
export interface Delivery {
  id: string;
  partnerId: string;
  notificationId: string;
  type: "notification.created" | "notification.overdue" | "notification.recalled" | "notification.reminder";
  /** A webhook's JSON body; an alert's Notify personalisation, as JSON. */
  body: string;
  /** The URL of the latest attempt: each attempt reads the owner's URL as it is then. */
  url: string;
  /** Absent on messages queued before escalation contacts had their own secret. */
  owner?: WebhookOwner;
  createdAt: string;
  /**
   * `scheduled`: a reminder waiting for its time (the sweep then releases it as `pending`);
   * `cancelled`: an alert no longer needed when its time came (its notification opened).
   */
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Retries made so far (0 before the first retry). */
  retries: number;
  nextAttemptAt: string | null;
  /**
   * While a worker is sending it: the end of that worker's lease (equal to `nextAttemptAt`
   * then). A redelivery leaves a message under a live lease alone; the settled attempt drops it.
   */
  leasedUntil?: string;
  dueBy: string;
  /** Present on an alert for a person (email or text through GOV.UK Notify). */
  alert?: AlertRoute;
}

export interface Escalation {
  id: string;
  kind: "deadline_missed" | "delivery_failing";
  discloserId: string;
  notificationId: string;
  concernId: string;
  recipientId: string;
  dueBy: string;
  at: string;
}
