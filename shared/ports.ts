import type { Actor, AuditDraft, AuditEvent, ChainProblem, ShardHead } from "./domain/audit.js";
import type { Calendar } from "./domain/calendar.js";
import type { CheckpointPayload } from "./domain/checkpoint.js";
import type { ConcernSubmission } from "./domain/concern.js";
import type { Payload } from "./domain/minimise.js";
import type { Agreement, Partner, RoutingRule } from "./domain/registry.js";
import type { UnresolvedRoute } from "./domain/routing.js";
import type { IdentityLinks, SubjectResolution } from "./domain/subject.js";
import type { DataCategory, NotificationStatus, Outcome, RefusalReason } from "./domain/vocabulary.js";

/** What the use cases need from the world. Adapters (DynamoDB, local keys) implement these. */

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(prefix: "con" | "ntf" | "evt" | "wdr"): string;
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
  payload: Payload;
  payloadSha256: string;
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
  body: Omit<ConcernSubmission, "breakGlass">;
  breakGlass: { justification: string } | null;
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
  saveReview(next: BreakGlassReview, events: AuditDraft[]): Promise<"ok" | "conflict">;
}

export interface ConcernStore {
  /** One transaction: the concern, its notifications, its audit events and the idempotency record. */
  recordConcern(
    concern: ConcernRecord,
    notifications: NotificationRecord[],
    events: AuditDraft[],
    idempotency: Idempotency | null,
    reviews?: BreakGlassReview[],
    deliveries?: Delivery[],
  ): Promise<"ok" | "idempotency_conflict">;
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
}

/** A push message in the durable outbox, written in the same transaction as its cause. */
export interface Delivery {
  id: string;
  partnerId: string;
  notificationId: string;
  type: "notification.created" | "notification.overdue";
  body: string;
  /** The URL of the latest attempt: each attempt reads the owner's URL as it is then. */
  url: string;
  /** Absent on messages queued before escalation contacts had their own secret. */
  owner?: WebhookOwner;
  createdAt: string;
  status: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
  /** Retries made so far (0 before the first retry). */
  retries: number;
  nextAttemptAt: string | null;
  dueBy: string;
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
  dueDeliveries(now: string, limit: number): Promise<Delivery[]>;
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
