import { evaluate } from "../domain/agreements.js";
import type { AuditDraft } from "../domain/audit.js";
import type { Calendar } from "../domain/calendar.js";
import type { ConcernSubmission } from "../domain/concern.js";
import type { Agreement } from "../domain/registry.js";
import {
  DEFAULT_BREAK_GLASS_RETENTION_DAYS,
  DEFAULT_CONCERN_RETENTION_DAYS,
  retainUntil,
} from "../domain/retention.js";
import { type RoutedRecipient, routeConcern } from "../domain/routing.js";
import { ageOn, utc } from "../domain/time.js";
import type { RefusalReason } from "../domain/vocabulary.js";
import type {
  Clock,
  ConcernRecord,
  ConcernStore,
  Idempotency,
  Ids,
  NotificationRecord,
  RegistrySnapshot,
  RegistryStore,
  StoredResponse,
  SubjectLinkStore,
  SubmissionReceipt,
  SubmissionWrite,
} from "../ports.js";
import { type Alerts, submissionAlerts } from "./alerts.js";
import { notificationSummary } from "./concerns.js";
import { actorOf, type Caller } from "./context.js";
import { type BaseEvent, breakGlassReviews, disclose } from "./submission-disclosures.js";
import { pushesFor } from "./timeliness.js";
import { withheldDecisions, withholdings } from "./withhold.js";

/**
 * How one submission is decided on a registry snapshot: routed, each routed recipient
 * evaluated against the agreements, each payload minimised, and the one transaction that
 * commits it prepared. Pure but for ids; `submit-concern.ts` reads, commits and decides
 * again when the registry moved.
 */

export interface SubmitDeps {
  clock: Clock;
  ids: Ids;
  registry: RegistryStore;
  concerns: ConcernStore;
  subjectKey: Uint8Array;
  subjects: SubjectLinkStore;
  retention?: RetentionPolicy;
  /** Alerts for people, when GOV.UK Notify is configured. */
  alerts?: Alerts | null;
}

/** The hub's own retention periods (the agreements state theirs). */
export interface RetentionPolicy {
  breakGlassDays: number;
  concernDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  breakGlassDays: DEFAULT_BREAK_GLASS_RETENTION_DAYS,
  concernDays: DEFAULT_CONCERN_RETENTION_DAYS,
};

/** How long a repeated Idempotency-Key answers with the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export function recipientsOf(
  concern: ConcernSubmission,
  now: Date,
  snapshot: RegistrySnapshot,
  calendar: Calendar,
) {
  return routeConcern({
    concern,
    receivedAt: now,
    rules: snapshot.rules,
    partners: snapshot.partners,
    calendar,
  });
}

interface DecisionInputs {
  now: Date;
  subjectId: string;
  snapshot: RegistrySnapshot;
  calendar: Calendar;
  idempotencyKey: string | undefined;
  requestSha256: string;
}

/**
 * One decision: route the concern, evaluate each routed recipient against the agreements, minimise, and
 * prepare the one transaction that commits it, with a check on every registry entry used.
 */
export function decide(
  deps: SubmitDeps,
  caller: Caller,
  concern: ConcernSubmission,
  d: DecisionInputs,
): { write: SubmissionWrite; response: StoredResponse<SubmissionReceipt> } {
  const { now, subjectId } = d;
  const { recipients, unresolved } = recipientsOf(concern, now, d.snapshot, d.calendar);
  const plan = withholdings(concern, recipients);
  const concernId = deps.ids.next("con");
  const retention = deps.retention ?? DEFAULT_RETENTION;
  const baseEvent: BaseEvent = {
    at: utc(now),
    actor: actorOf(caller),
    subjectId,
    concernId,
    target: null,
    requestId: caller.requestId,
  };
  const { notifications, refusals, events } = disclosures(deps, caller, concern, plan.disclosed, {
    agreements: d.snapshot.agreements,
    baseEvent,
    now,
    retention,
  });
  const withheld = withheldDecisions(
    deps.ids,
    { ...baseEvent, subjectId, concernId },
    caller.partner.id,
    plan,
  );
  events.push(...withheld.events);
  const record = concernRecord(caller, concern, baseEvent, {
    notificationIds: notifications.map((n) => n.id),
    refusals,
    unresolvedRoutes: unresolved,
    withheld: withheld.receipt,
    eraseAfter: retainUntil(baseEvent.at, retention.concernDays),
  });
  const response = { statusCode: 201, body: receiptOf(record, notifications) };
  return {
    response,
    write: {
      concern: record,
      notifications,
      events,
      idempotency: idempotencyOf(caller, d, response),
      reviews: [...breakGlassReviews(record, notifications, events), ...withheld.reviews],
      deliveries: outboxOf(deps, caller, d, recipients, notifications),
      registryEpoch: d.snapshot.epoch,
    },
  };
}

/** The submission's outbox: its webhook pushes and, with Notify configured, its alerts for people. */
function outboxOf(
  deps: SubmitDeps,
  caller: Caller,
  d: DecisionInputs,
  recipients: readonly RoutedRecipient[],
  notifications: readonly NotificationRecord[],
) {
  return [
    ...pushesOf(d.snapshot, notifications, d.now),
    ...submissionAlerts(deps.alerts, {
      notifications,
      partners: d.snapshot.partners,
      recipients,
      rules: d.snapshot.rules,
      calendar: d.calendar,
      discloser: caller.partner.name,
      now: d.now,
    }),
  ];
}

/** Push messages go into the outbox in the same transaction: none is lost, none is early. */
function pushesOf(snapshot: RegistrySnapshot, notifications: readonly NotificationRecord[], now: Date) {
  return notifications.flatMap((n) =>
    pushesFor(
      snapshot.partners.find((p) => p.id === n.recipientId),
      "notification.created",
      n,
      now,
    ),
  );
}

/** Each routed recipient not withheld: a disclosure under its agreement, break glass, or a refusal. */
function disclosures(
  deps: SubmitDeps,
  caller: Caller,
  concern: ConcernSubmission,
  disclosed: readonly RoutedRecipient[],
  on: { agreements: readonly Agreement[]; baseEvent: BaseEvent; now: Date; retention: RetentionPolicy },
) {
  const notifications: NotificationRecord[] = [];
  const refusals: ConcernRecord["refusals"] = [];
  const events: AuditDraft[] = [];
  const age = ageOn(concern.subject.dateOfBirth, on.now);
  for (const r of disclosed) {
    const evaluation = evaluate(
      {
        discloserId: caller.partner.id,
        recipientId: r.recipientId,
        purpose: r.purpose,
        concernType: concern.concernType,
        area: concern.area,
        age,
        requestedCategories: r.dataCategories,
      },
      on.agreements,
      on.now,
    );
    const disclosure = disclose(deps, concern, r, evaluation, on.baseEvent, caller.partner.id, on.retention);
    events.push(disclosure.event);
    if (disclosure.notification) notifications.push(disclosure.notification);
    else refusals.push({ recipientId: r.recipientId, reason: disclosure.event.reason as RefusalReason });
  }
  return { notifications, refusals, events };
}

function concernRecord(
  caller: Caller,
  concern: ConcernSubmission,
  baseEvent: BaseEvent,
  outcome: Pick<
    ConcernRecord,
    "notificationIds" | "refusals" | "unresolvedRoutes" | "withheld" | "eraseAfter"
  >,
): ConcernRecord {
  const { breakGlass, ...body } = concern;
  return {
    id: baseEvent.concernId as string,
    discloserId: caller.partner.id,
    submittedBy: baseEvent.actor,
    receivedAt: baseEvent.at,
    subjectId: baseEvent.subjectId as string,
    concernType: concern.concernType,
    riskRating: concern.riskRating,
    area: concern.area,
    occurredAt: utc(new Date(concern.occurredAt)),
    body,
    breakGlass: breakGlass ?? null,
    ...outcome,
    erasedAt: null,
  };
}

/** What the officer is answered (and a replay of the Idempotency-Key answered again). */
function receiptOf(record: ConcernRecord, notifications: readonly NotificationRecord[]): SubmissionReceipt {
  return {
    id: record.id,
    subjectId: record.subjectId,
    receivedAt: record.receivedAt,
    notifications: notifications.map(notificationSummary),
    refusals: record.refusals,
    withheld: record.withheld ?? [],
    unresolvedRoutes: record.unresolvedRoutes,
  };
}

function idempotencyOf(
  caller: Caller,
  d: DecisionInputs,
  response: StoredResponse<SubmissionReceipt>,
): Idempotency<SubmissionReceipt> | null {
  if (d.idempotencyKey === undefined) return null;
  const storedAt = Math.floor(d.now.getTime() / 1000);
  return {
    partnerId: caller.partner.id,
    key: d.idempotencyKey,
    requestSha256: d.requestSha256,
    response,
    storedAt,
    expiresAt: storedAt + IDEMPOTENCY_TTL_SECONDS,
  };
}
