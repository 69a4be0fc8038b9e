import type { ResponseBody } from "./api/operations.js";
import type { AuditDraft, AuditEvent, ShardHead } from "./domain/audit.js";
import type { Calendar } from "./domain/calendar.js";
import type {
  AuditQuery,
  Breach,
  BreakGlassReview,
  ConcernRecord,
  Delivery,
  ErasureDue,
  Escalation,
  Idempotency,
  NotificationRecord,
  Page,
  PartnerRecord,
  StoredCheckpoint,
  SubmissionWrite,
  Versioned,
  WebhookOwner,
  WebhookSecrets,
} from "./domain/records.js";
import type { Agreement, Partner, RoutingRule } from "./domain/registry.js";
import type { IdentityLinks, SubjectResolution } from "./domain/subject.js";
import type { BreachStatus, NotificationStatus } from "./domain/vocabulary.js";

// The records moved to the domain (shared/domain/records.ts); re-exported so imports stay put.
export type {
  AuditQuery,
  Breach,
  BreakGlassReview,
  ConcernRecord,
  Delivery,
  DeliveryAttempt,
  ErasureDue,
  Escalation,
  Idempotency,
  NotificationRecall,
  NotificationRecord,
  Page,
  PartnerRecord,
  StoredCheckpoint,
  StoredResponse,
  SubmissionWrite,
  Verification,
  Versioned,
  WebhookOwner,
  WebhookSecrets,
} from "./domain/records.js";

/** The submission's 201 receipt as its route declares it: the answer an Idempotency-Key replays. */
export type SubmissionReceipt = ResponseBody<"submitConcern", 201>;

/** What the use cases need from the world. Adapters (DynamoDB, local keys) implement these. */

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(prefix: "con" | "ntf" | "evt" | "brc" | "wdr"): string;
}

/** Partners, agreements, rules and calendars as they stood at one registry epoch. */
export interface RegistrySnapshot {
  epoch: number;
  partners: Partner[];
  agreements: Agreement[];
  rules: RoutingRule[];
  calendar(area: string): Promise<Calendar>;
}

export interface RegistryStore {
  partnerByClientId(clientId: string): Promise<Partner | null>;
  listPartners(): Promise<Partner[]>;
  listAgreements(): Promise<Agreement[]>;
  /**
   * The registry a submission decides on, at the registry epoch its commit re-checks; `stale`
   * is an epoch a commit found changed, so a snapshot at it is not given again.
   */
  decisionSnapshot(stale?: number): Promise<RegistrySnapshot>;
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

/**
 * Records IG decides once (break-glass reviews, breaches), listed by status. A decision is saved
 * only if the record is still in the status it was read in, with what it opens and its events.
 */
export interface DecisionQueue<T, S extends string, Opens = never> {
  list(status: S | undefined, cursor: string | undefined, limit: number): Promise<Page<T>>;
  get(id: string): Promise<T | null>;
  save(next: T, expected: S, events: AuditDraft[], opens?: readonly Opens[]): Promise<"ok" | "conflict">;
}

/** Break-glass reviews, oldest first: a `not_justified` finding opens its breach with it. */
export type ReviewStore = DecisionQueue<BreakGlassReview, BreakGlassReview["status"], Breach>;

/** Breaches, newest first; those still open past their reportBy wait in the `breaches` time queue. */
export interface BreachStore extends DecisionQueue<Breach, BreachStatus>, TimeQueues<"breaches"> {}

export interface ConcernStore {
  /**
   * One transaction: the concern, its notifications, its audit events and the idempotency
   * record; `too_many_items` (nothing sent) when they are more than one transaction takes.
   */
  recordConcern(
    submission: SubmissionWrite,
  ): Promise<"ok" | "idempotency_conflict" | "registry_changed" | "too_many_items">;
  /** The record under this key, expired or not: the caller decides what an expired one means. */
  findIdempotency(partnerId: string, key: string): Promise<Idempotency<SubmissionReceipt> | null>;
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

export interface RetentionStore extends TimeQueues<"erasures"> {
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

/** Signs checkpoints (ES256, compact JWS) and publishes every key that ever signed one. */
export interface CheckpointSigner {
  sign(payload: object): Promise<string>;
  publicKeys(): Promise<{ keys: Record<string, unknown>[] }>;
}

export interface CheckpointStore {
  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  /** Checkpoints oldest first, from `fromNumber` on. */
  listCheckpoints(fromNumber: number, limit: number): Promise<StoredCheckpoint[]>;
  /** Write-once: "taken" when another writer stored that number first. */
  appendCheckpoint(checkpoint: StoredCheckpoint): Promise<"ok" | "taken">;
  heads(): Promise<ShardHead[]>;
}

/**
 * Asks the checkpointer for a checkpoint now. The checkpointer is the only writer of
 * checkpoint rows, so whoever serves `POST /v1/audit/checkpoints` asks it rather than write
 * one: null when none could be written.
 */
export interface CheckpointRequester {
  requestCheckpoint(): Promise<StoredCheckpoint | null>;
}

/** What the checkpointer is asked (on demand; its schedule sends an EventBridge event instead) and answers. */
export interface CheckpointRequest {
  force: true;
}
export interface CheckpointAnswer {
  checkpoint: StoredCheckpoint | null;
}

/** The `overdue` time queue holds the notifications still unacknowledged, by due time. */
export interface TimelinessStore extends TimeQueues<"overdue" | OutboxQueue> {
  /** Unacknowledged → overdue with its deadline_missed event, escalation and push, or "conflict". */
  markOverdue(
    next: NotificationRecord,
    events: AuditDraft[],
    escalation: Escalation,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict">;
  listEscalations(discloserId: string, cursor: string | undefined, limit: number): Promise<Page<Escalation>>;
  recordEscalation(escalation: Escalation): Promise<void>;
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

/**
 * Which outbox queue: partners' webhooks; alerts for people (sent by one function only); or
 * reminders waiting for the sweep to check, when due, that their notification is unopened.
 */
export type OutboxQueue = "webhooks" | "alerts" | "reminders";

/** The time queues the sweeps drain, and the record each holds. */
export interface TimeQueueRecords {
  overdue: NotificationRecord;
  erasures: ErasureDue;
  breaches: Breach;
  webhooks: Delivery;
  alerts: Delivery;
  reminders: Delivery;
}
export type TimeQueue = keyof TimeQueueRecords;

/** A store's time queues: the records whose time has come (at or before `now`), oldest first. */
export interface TimeQueues<Q extends TimeQueue> {
  due<K extends Q>(queue: K, now: string, limit: number): Promise<TimeQueueRecords[K][]>;
}

export type { AlertMessage, AlertSender } from "./domain/alerts.js";
