import type { AlertRoute } from "./domain/alerts.js";
import type { Actor, AuditDraft, AuditEvent, ChainProblem, ShardHead } from "./domain/audit.js";
import type { Calendar } from "./domain/calendar.js";
import type { CheckpointPayload } from "./domain/checkpoint.js";
import type { ConcernSubmission } from "./domain/concern.js";
import type { Payload } from "./domain/minimise.js";
import type { Agreement, Partner, RoutingRule } from "./domain/registry.js";
import type { UnresolvedRoute } from "./domain/routing.js";
import type { IdentityLinks, SubjectResolution } from "./domain/subject.js";
import type {
  BreachCause,
  BreachStatus,
  DataCategory,
  NotificationStatus,
  Outcome,
  RecallReason,
  RefusalReason,
} from "./domain/vocabulary.js";

/** What the use cases need from the world. Adapters (DynamoDB, local keys) implement these. */

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(prefix: "con" | "ntf" | "evt" | "brc" | "wdr"): string;
}

export interface NotificationRecord {
  id: string;
  recipientId: string;
  status: NotificationStatus;
  concernId: string;
  concernType: string;
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
  concernType: string;
  riskRating: string;
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

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface Idempotency {
  partnerId: string;
  key: string;
  requestSha256: string;
  response: StoredResponse;
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

export interface RegistryStore {
  partnerByClientId(clientId: string): Promise<Partner | null>;
  listPartners(): Promise<Partner[]>;
  listAgreements(): Promise<Agreement[]>;
  /**
   * Partners and agreements with their revisions, for a decision the commit re-checks;
   * `consistent` reads each entry again from the table rather than the lagging index.
   */
  decisionInputs(consistent: boolean): Promise<{
    partners: Versioned<Partner>[];
    agreements: Versioned<Agreement>[];
  }>;
  routingRules(): Promise<RoutingRule[]>;
  /** Load a whole registry at once (the demo registry on a first start), audited. */
  seed(
    registry: { partners: Partner[]; agreements: Agreement[]; rules: RoutingRule[] },
    events: AuditDraft[],
  ): Promise<void>;
  isEmpty(): Promise<boolean>;
  getPartner(id: string): Promise<Versioned<PartnerRecord> | null>;
  /** `contactSecrets`: the escalation contact's own secrets, written (or with "remove" deleted) too. */
  createPartner(
    partner: PartnerRecord,
    secrets: WebhookSecrets | null,
    events: AuditDraft[],
    contactSecrets?: WebhookSecrets | null,
  ): Promise<"ok" | "id_taken" | "client_taken">;
  updatePartner(
    previous: Versioned<PartnerRecord>,
    next: PartnerRecord,
    secrets: WebhookSecrets | null,
    events: AuditDraft[],
    contactSecrets?: WebhookSecrets | "remove" | null,
  ): Promise<"ok" | "conflict" | "client_taken">;
  webhookSecrets(partnerId: string, owner?: WebhookOwner): Promise<WebhookSecrets | null>;
  getAgreement(id: string): Promise<Versioned<Agreement> | null>;
  createAgreement(agreement: Agreement, events: AuditDraft[]): Promise<"ok" | "id_taken">;
  saveAgreement(next: Agreement, expectedRevision: number, events: AuditDraft[]): Promise<"ok" | "conflict">;
  routingRuleSet(): Promise<Versioned<RoutingRule[]>>;
  replaceRoutingRules(
    rules: RoutingRule[],
    expectedRevision: number,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict">;
  /** An area's calendar (weekends only, 08:00-18:00, until IG sets one). */
  calendar(area: string): Promise<Versioned<Calendar>>;
  replaceCalendar(
    calendar: Calendar,
    expectedRevision: number,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict">;
}

export interface ReviewStore {
  listReviews(
    status: BreakGlassReview["status"] | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<BreakGlassReview>>;
  getReview(id: string): Promise<BreakGlassReview | null>;
  /** A `not_justified` finding opens its breach in the same transaction. */
  saveReview(
    next: BreakGlassReview,
    events: AuditDraft[],
    breach?: Breach | null,
  ): Promise<"ok" | "conflict">;
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

export interface BreachStore {
  listBreaches(
    status: BreachStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Breach>>;
  getBreach(id: string): Promise<Breach | null>;
  /** Write the breach only if its stored status is still `expectedStatus`, with its events. */
  saveBreach(next: Breach, expectedStatus: BreachStatus, events: AuditDraft[]): Promise<"ok" | "conflict">;
  /** Breaches still open whose reportBy is at or before `now`. */
  breachesDue(now: string, limit: number): Promise<Breach[]>;
}

/** The registry entries a submission was decided on, each at the revision read. */
export interface RegistryRevision {
  kind: "agreement" | "partner";
  id: string;
  revision: number;
}

/** Everything one submission writes, in one transaction. */
export interface SubmissionWrite {
  concern: ConcernRecord;
  notifications: NotificationRecord[];
  events: AuditDraft[];
  idempotency: Idempotency | null;
  reviews: BreakGlassReview[];
  deliveries: Delivery[];
  /** Checked at commit: if any changed since it was read, nothing is written. */
  decidedOn: RegistryRevision[];
  /** Epoch milliseconds: the submission's time budget ends here, retries included. */
  commitBy?: number;
}

/** Content due to be erased: a notification's payload and note, or a concern's body. */
export interface ErasureDue {
  kind: "notification" | "concern";
  id: string;
  eraseAt: string;
}

export interface ConcernStore {
  /** One transaction: the concern, its notifications, its audit events and the idempotency record. */
  recordConcern(submission: SubmissionWrite): Promise<"ok" | "idempotency_conflict" | "registry_changed">;
  /** The record under this key, expired or not: the caller decides what an expired one means. */
  findIdempotency(partnerId: string, key: string): Promise<Idempotency | null>;
  getConcern(id: string): Promise<ConcernRecord | null>;
  getNotifications(ids: readonly string[]): Promise<NotificationRecord[]>;
}

/** The identity links of the subject-id rules (NHS number ↔ name id), each written once. */
export interface SubjectLinkStore {
  identityLinks(nhsKey: string, nameId: string): Promise<IdentityLinks>;
  /** Write every claim or none; "taken" when another writer made one of them first. */
  claimLinks(claims: SubjectResolution["claims"], at: string): Promise<"ok" | "taken">;
}

export interface NotificationStore {
  getNotification(id: string): Promise<NotificationRecord | null>;
  listNotifications(
    recipientId: string,
    status: NotificationStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<NotificationRecord>>;
  /** Write the new state only if the stored status is still `expectedStatus`, with its events. */
  transition(
    next: NotificationRecord,
    expectedStatus: NotificationStatus,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict">;
  /** Record an audit event with no other change (an opening of a notification, an export). */
  audit(events: AuditDraft[]): Promise<AuditEvent[]>;
  /**
   * Recall: the recalled notification (status `recalled`, payload erased), its
   * `disclosure_recalled` event, the breach it opens and the push, in one transaction;
   * "conflict" if the notification changed since it was read.
   */
  recall(
    next: NotificationRecord,
    expectedStatus: NotificationStatus,
    events: AuditDraft[],
    breach: Breach,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict">;
}

export interface RetentionStore {
  /** Erasures due at or before `now`, oldest first. */
  erasuresDue(now: string, limit: number): Promise<ErasureDue[]>;
  getConcern(id: string): Promise<ConcernRecord | null>;
  getNotification(id: string): Promise<NotificationRecord | null>;
  /** The erased notification and its content_erased event, if it is still as read. */
  eraseNotification(
    next: NotificationRecord,
    expected: NotificationRecord,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict">;
  /** The erased concern, its break-glass justifications, and its content_erased event. */
  eraseConcern(
    next: ConcernRecord,
    reviewIds: readonly string[],
    events: AuditDraft[],
  ): Promise<"ok" | "conflict">;
  /** The due entry is done with (already erased): drop it from the queue. */
  dropErasure(due: ErasureDue): Promise<void>;
}

export interface AuditStore {
  query(filter: AuditQuery, cursor: string | undefined, limit: number): Promise<Page<AuditEvent>>;
  shardCount(): number;
  /** Every event of a shard in seq order, page by page, after `afterSeq` (default 0). */
  readShard(shard: number, afterSeq?: number): AsyncIterable<AuditEvent[]>;
}

export interface Verification {
  valid: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  problems: ChainProblem[];
}

/** Signs checkpoints (ES256, compact JWS) and publishes every key that ever signed one. */
export interface CheckpointSigner {
  sign(payload: object): Promise<string>;
  publicKeys(): Promise<{ keys: Record<string, unknown>[] }>;
}

export interface StoredCheckpoint {
  number: number;
  jws: string;
  payload: CheckpointPayload;
}

export interface CheckpointStore {
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** Checkpoints oldest first, from `fromNumber` on. */
  listCheckpoints(fromNumber: number, limit: number): Promise<StoredCheckpoint[]>;
  /** Write-once: "taken" when another writer stored that number first. */
  appendCheckpoint(checkpoint: StoredCheckpoint): Promise<"ok" | "taken">;
  heads(): Promise<ShardHead[]>;
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

/**
 * Which outbox queue: partners' webhooks; alerts for people (sent by one function only); or
 * reminders waiting for the sweep to check, when due, that their notification is unopened.
 */
export type OutboxQueue = "webhooks" | "alerts" | "reminders";

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
  status: "scheduled" | "pending" | "delivered" | "failed" | "cancelled";
  attempts: DeliveryAttempt[];
  /** Retries made so far (0 before the first retry). */
  retries: number;
  nextAttemptAt: string | null;
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

export interface TimelinessStore {
  /** Notifications still `delivered` whose due time is at or before `now`, oldest due first. */
  overdueCandidates(now: string, limit: number): Promise<NotificationRecord[]>;
  /** delivered → overdue with its deadline_missed event, escalation and push, or "conflict". */
  markOverdue(
    next: NotificationRecord,
    events: AuditDraft[],
    escalation: Escalation,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict">;
  listEscalations(discloserId: string, cursor: string | undefined, limit: number): Promise<Page<Escalation>>;
  recordEscalation(escalation: Escalation): Promise<void>;
  dueDeliveries(now: string, limit: number, queue?: OutboxQueue): Promise<Delivery[]>;
  /** Save a delivery only if it is still as `expected` was read (one worker wins a claim). */
  saveDelivery(next: Delivery, expected: Delivery): Promise<"ok" | "conflict">;
  deliveriesOf(notificationId: string): Promise<Delivery[]>;
  /** A partner's notifications created in [from, to], for timeliness figures. */
  notificationsCreated(recipientId: string, from: string, to: string): Promise<NotificationRecord[]>;
}

/** Sends one push message; never throws: a failure is an attempt like any other. */
export type WebhookSender = (
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) => Promise<{ status: number | null; error: string | null }>;

export type { AlertMessage, AlertSender } from "./domain/alerts.js";
