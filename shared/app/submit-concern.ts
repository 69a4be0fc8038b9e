import type { ResponseBody } from "../api/operations.js";
import { type Evaluation, evaluate } from "../domain/agreements.js";
import { type AuditDraft, canonicalJson, payloadDigest, sha256Hex } from "../domain/audit.js";
import type { ConcernSubmission } from "../domain/concern.js";
import { minimise } from "../domain/minimise.js";
import { isDiscloser } from "../domain/recipients.js";
import type { Agreement, Partner } from "../domain/registry.js";
import {
  DEFAULT_BREAK_GLASS_RETENTION_DAYS,
  DEFAULT_CONCERN_RETENTION_DAYS,
  notificationRetainUntil,
  retainUntil,
} from "../domain/retention.js";
import { type Route, route } from "../domain/routing.js";
import { ageOn, utc } from "../domain/time.js";
import { MAX_SUBJECT_AGE, type RefusalReason } from "../domain/vocabulary.js";
import { conflict, type FieldError, forbidden, serviceUnavailable, validationFailed } from "../errors.js";
import type {
  BreakGlassReview,
  Clock,
  ConcernRecord,
  ConcernStore,
  Idempotency,
  Ids,
  NotificationRecord,
  RegistryRevision,
  RegistryStore,
  StoredResponse,
  SubjectLinkStore,
  SubmissionWrite,
  Versioned,
} from "../ports.js";
import { actorOf, auditDraft, type Caller } from "./context.js";
import { subjectIdOf } from "./subjects.js";
import { pushesFor } from "./timeliness.js";
import { withheldDecisions, withholdings } from "./withhold.js";

export interface SubmitDeps {
  clock: Clock;
  ids: Ids;
  registry: RegistryStore;
  concerns: ConcernStore;
  subjectKey: Uint8Array;
  subjects: SubjectLinkStore;
  retention?: RetentionPolicy;
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

/**
 * How many times a submission is decided: the first on the registry as the index shows it,
 * then, when the commit finds an entry changed, on the table read consistently.
 */
const MAX_DECISIONS = 3;

/**
 * A submission answers within this long, store retries included (503 with Retry-After
 * otherwise), well inside the 10 s Lambda timeout: a caller told 503 can retry with its
 * Idempotency-Key, one cut off by the timeout cannot know what happened.
 */
export const SUBMISSION_BUDGET_MS = 3_000;

/** How long a repeated Idempotency-Key answers with the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Officers' devices drift; a minute of skew is not "in the future". */
const FUTURE_SKEW_MS = 60_000;

/** The receipt, as the route table's 201 response declares it (ConcernReceiptSchema). */
export type SubmissionResult = ResponseBody<"submitConcern", 201>;

/** Rules that need the clock, so they live here rather than in the schema. */
function checkAgainstClock(concern: ConcernSubmission, now: Date): void {
  const errors: FieldError[] = [];
  if (Date.parse(concern.occurredAt) > now.getTime() + FUTURE_SKEW_MS) {
    errors.push({ path: "/occurredAt", message: "cannot be in the future" });
  }
  const age = ageOn(concern.subject.dateOfBirth, now);
  if (age < 0) errors.push({ path: "/subject/dateOfBirth", message: "cannot be in the future" });
  if (age > MAX_SUBJECT_AGE) {
    errors.push({
      path: "/subject/dateOfBirth",
      message: `Lantern serves children and young people up to ${MAX_SUBJECT_AGE}`,
    });
  }
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Submit a safeguarding concern: route it, check every disclosure against the recipient's
 * agreement, minimise each payload to what is granted, and commit the concern, notifications
 * and audit events in one transaction.
 */
export async function submitConcern(
  deps: SubmitDeps,
  caller: Caller,
  concern: ConcernSubmission,
  idempotencyKey: string | undefined,
): Promise<StoredResponse> {
  if (concern.breakGlass && !isDiscloser(caller.partner)) {
    throw forbidden("Only a police force may break glass.");
  }
  const commitBy = Date.now() + SUBMISSION_BUDGET_MS;
  const requestSha256 = sha256Hex(canonicalJson(concern));
  const now = deps.clock.now();
  if (idempotencyKey !== undefined) {
    const replay = await replayed(deps, caller, idempotencyKey, requestSha256, now);
    if (replay) return replay;
  }
  checkAgainstClock(concern, now);
  const [rules, calendar, firstInputs] = await Promise.all([
    deps.registry.routingRules(),
    deps.registry.calendar(concern.area),
    deps.registry.decisionInputs(false),
  ]);
  // Checked before anything is written (the identity links included): a 400 writes nothing.
  withholdings(concern, routesOf(concern, now, rules, calendar.value, firstInputs).routes);
  const subjectId = await subjectIdOf(deps, concern.subject);
  for (let decision = 0; decision < MAX_DECISIONS; decision++) {
    const inputs = decision === 0 ? firstInputs : await deps.registry.decisionInputs(true);
    const { write, response } = decide(deps, caller, concern, {
      now,
      subjectId,
      rules,
      calendar: calendar.value,
      inputs,
      idempotencyKey,
      requestSha256,
    });
    const outcome = await deps.concerns.recordConcern({ ...write, commitBy });
    if (outcome === "ok") return response;
    if (outcome === "idempotency_conflict" && idempotencyKey !== undefined) {
      // Another request with the same key committed first: answer as it was answered.
      const replay = await replayed(deps, caller, idempotencyKey, requestSha256, now);
      if (replay) return replay;
      throw serviceUnavailable("Another request with this Idempotency-Key is in progress; try again.");
    }
    // registry_changed: an agreement or partner the decision used changed before the commit
    // (IG suspended a version, say). Nothing was written; decide again on what holds now.
    if (Date.now() >= commitBy) break;
  }
  throw serviceUnavailable("The registry changed during the submission; try again.");
}

function routesOf(
  concern: ConcernSubmission,
  now: Date,
  rules: DecisionInputs["rules"],
  calendar: DecisionInputs["calendar"],
  inputs: DecisionInputs["inputs"],
) {
  return route({ concern, receivedAt: now, rules, partners: inputs.partners.map((p) => p.value), calendar });
}

interface DecisionInputs {
  now: Date;
  subjectId: string;
  rules: Awaited<ReturnType<RegistryStore["routingRules"]>>;
  calendar: Awaited<ReturnType<RegistryStore["calendar"]>>["value"];
  inputs: { partners: Versioned<Partner>[]; agreements: Versioned<Agreement>[] };
  idempotencyKey: string | undefined;
  requestSha256: string;
}

/**
 * One decision: route the concern, evaluate each route against the agreements, minimise, and
 * prepare the one transaction that commits it, with a check on every registry entry used.
 */
function decide(
  deps: SubmitDeps,
  caller: Caller,
  concern: ConcernSubmission,
  d: DecisionInputs,
): { write: SubmissionWrite; response: StoredResponse } {
  const { now, subjectId } = d;
  const receivedAt = utc(now);
  const partners = d.inputs.partners.map((p) => p.value);
  const agreements = d.inputs.agreements.map((a) => a.value);
  const { routes, unresolved } = routesOf(concern, now, d.rules, d.calendar, d.inputs);
  const plan = withholdings(concern, routes);
  const concernId = deps.ids.next("con");
  const actor = actorOf(caller);
  const age = ageOn(concern.subject.dateOfBirth, now);
  const retention = deps.retention ?? DEFAULT_RETENTION;

  const notifications: NotificationRecord[] = [];
  const refusals: ConcernRecord["refusals"] = [];
  const events: AuditDraft[] = [];
  const baseEvent: BaseEvent = {
    at: receivedAt,
    actor,
    subjectId,
    concernId,
    target: null,
    requestId: caller.requestId,
  };

  for (const r of plan.disclosed) {
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
      agreements,
      now,
    );
    const disclosure = disclose(deps, concern, r, evaluation, baseEvent, caller.partner.id, retention);
    events.push(disclosure.event);
    if (disclosure.notification) notifications.push(disclosure.notification);
    else refusals.push({ recipientId: r.recipientId, reason: disclosure.event.reason as RefusalReason });
  }

  const withheld = withheldDecisions(
    deps.ids,
    { ...baseEvent, subjectId, concernId, actor },
    caller.partner.id,
    plan,
  );
  events.push(...withheld.events);
  const { breakGlass, ...body } = concern;
  const record: ConcernRecord = {
    id: concernId,
    discloserId: caller.partner.id,
    submittedBy: actor,
    receivedAt,
    subjectId,
    concernType: concern.concernType,
    riskRating: concern.riskRating,
    area: concern.area,
    occurredAt: utc(new Date(concern.occurredAt)),
    body,
    breakGlass: breakGlass ?? null,
    notificationIds: notifications.map((n) => n.id),
    refusals,
    unresolvedRoutes: unresolved,
    withheld: withheld.receipt,
    eraseAfter: retainUntil(receivedAt, retention.concernDays),
    erasedAt: null,
  };
  const result: SubmissionResult = {
    id: concernId,
    subjectId,
    receivedAt,
    notifications: notifications.map((n) => ({
      id: n.id,
      recipientId: n.recipientId,
      agreement: n.agreement,
      dataCategories: n.dataCategories,
      dueBy: n.dueBy,
      status: n.status,
      breakGlass: n.breakGlass,
    })),
    refusals,
    withheld: withheld.receipt,
    unresolvedRoutes: unresolved,
  };
  const response: StoredResponse = { statusCode: 201, body: result };
  const idempotency: Idempotency | null =
    d.idempotencyKey === undefined
      ? null
      : {
          partnerId: caller.partner.id,
          key: d.idempotencyKey,
          requestSha256: d.requestSha256,
          response,
          storedAt: Math.floor(now.getTime() / 1000),
          expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        };
  // Push messages go into the outbox in the same transaction: none is lost, none is early.
  const deliveries = notifications.flatMap((n) =>
    pushesFor(
      partners.find((p) => p.id === n.recipientId),
      "notification.created",
      n,
      now,
    ),
  );
  const recipients = new Set([caller.partner.id, ...routes.map((r) => r.recipientId)]);
  return {
    response,
    write: {
      concern: record,
      notifications,
      events,
      idempotency,
      reviews: [...breakGlassReviews(record, notifications, events), ...withheld.reviews],
      deliveries,
      decidedOn: decidedOn(d.inputs, caller.partner.id, recipients),
    },
  };
}

/**
 * The registry entries this decision rests on: every agreement between the discloser and a
 * routed recipient (the one that granted, and those that refused: break glass depends on
 * them too), and the partner records of the discloser and the recipients.
 */
function decidedOn(
  inputs: DecisionInputs["inputs"],
  discloserId: string,
  recipients: ReadonlySet<string>,
): RegistryRevision[] {
  return [
    ...inputs.agreements
      .filter((a) => a.value.discloserId === discloserId && recipients.has(a.value.recipientId))
      .map((a) => ({ kind: "agreement" as const, id: a.value.id, revision: a.revision })),
    ...inputs.partners
      .filter((p) => recipients.has(p.value.id))
      .map((p) => ({ kind: "partner" as const, id: p.value.id, revision: p.revision })),
  ];
}

/** Every break-glass disclosure waits in IG's review queue, created in the same transaction. */
function breakGlassReviews(
  concern: ConcernRecord,
  notifications: readonly NotificationRecord[],
  events: readonly AuditDraft[],
): BreakGlassReview[] {
  if (!concern.breakGlass) return [];
  const justification = concern.breakGlass.justification;
  return events
    .filter((e) => e.action === "break_glass_disclosure")
    .flatMap((e) => {
      const n = notifications.find((x) => x.id === e.notificationId);
      if (!n) return [];
      return [
        {
          id: n.id,
          kind: "break_glass" as const,
          concernId: concern.id,
          subjectId: concern.subjectId,
          recipientId: n.recipientId,
          discloserId: concern.discloserId,
          disclosedAt: concern.receivedAt,
          disclosedBy: concern.submittedBy,
          dataCategories: n.dataCategories,
          overrodeReason: e.reason as RefusalReason,
          justification,
          status: "pending" as const,
          finding: null,
          note: null,
          reviewedAt: null,
          reviewedBy: null,
        },
      ];
    });
}

type BaseEvent = Pick<AuditDraft, "at" | "actor" | "subjectId" | "concernId" | "target" | "requestId">;

/**
 * One routed recipient: a disclosure under its agreement, a break-glass disclosure with the
 * rule's categories when there is no authorising agreement and the officer broke glass, or a
 * refusal. Each is one audit event.
 */
function disclose(
  deps: SubmitDeps,
  concern: ConcernSubmission,
  r: Route,
  evaluation: Evaluation,
  baseEvent: BaseEvent,
  discloserId: string,
  retention: RetentionPolicy,
): { event: AuditDraft; notification: NotificationRecord | null } {
  // Break glass covers a missing agreement, never one IG deliberately suspended or revoked.
  if (!evaluation.granted && (!concern.breakGlass || evaluation.stopped)) {
    return {
      notification: null,
      event: auditDraft({
        ...baseEvent,
        id: deps.ids.next("evt"),
        action: "disclosure_refused",
        recipientId: r.recipientId,
        purpose: r.purpose,
        reason: concern.breakGlass && evaluation.stopped ? "agreement_not_active" : evaluation.reason,
      }),
    };
  }
  const notification = makeNotification(deps, concern, r, {
    concernId: baseEvent.concernId as string,
    subjectId: baseEvent.subjectId as string,
    discloserId,
    createdAt: baseEvent.at,
    agreement: evaluation.granted ? evaluation.agreement : null,
    dataCategories: evaluation.granted ? evaluation.dataCategories : r.dataCategories,
    lawfulBasis: evaluation.granted ? evaluation.lawfulBasis : null,
    retainUntil: notificationRetainUntil(
      baseEvent.at,
      evaluation.granted ? evaluation.retentionDays : null,
      retention.breakGlassDays,
    ),
  });
  return {
    notification,
    event: {
      ...baseEvent,
      id: deps.ids.next("evt"),
      action: evaluation.granted ? "disclosure" : "break_glass_disclosure",
      notificationId: notification.id,
      recipientId: r.recipientId,
      agreement: notification.agreement,
      purpose: r.purpose,
      lawfulBasis: notification.lawfulBasis,
      dataCategories: notification.dataCategories,
      payloadSha256: notification.payloadSha256,
      // For break glass: which refusal it overrode. The justification is free text and stays
      // with the concern, out of the audit trail.
      reason: evaluation.granted ? null : evaluation.reason,
    },
  };
}

async function replayed(
  deps: SubmitDeps,
  caller: Caller,
  key: string,
  requestSha256: string,
  now: Date,
): Promise<StoredResponse | null> {
  const previous = await deps.concerns.findIdempotency(caller.partner.id, key);
  // Past its 24 hours a record no longer answers, though DynamoDB's TTL may keep it for days.
  if (!previous || previous.expiresAt * 1000 <= now.getTime()) return null;
  if (previous.requestSha256 !== requestSha256) {
    throw conflict("This Idempotency-Key was used with a different body.");
  }
  return previous.response;
}

function makeNotification(
  deps: SubmitDeps,
  concern: ConcernSubmission,
  r: Route,
  fields: Pick<
    NotificationRecord,
    | "concernId"
    | "subjectId"
    | "discloserId"
    | "createdAt"
    | "agreement"
    | "dataCategories"
    | "lawfulBasis"
    | "retainUntil"
  >,
): NotificationRecord {
  const payload = minimise(concern, fields.subjectId, fields.dataCategories);
  return {
    ...fields,
    id: deps.ids.next("ntf"),
    recipientId: r.recipientId,
    status: "delivered",
    concernType: concern.concernType,
    occurredAt: utc(new Date(concern.occurredAt)),
    dueBy: utc(r.dueBy),
    purpose: r.purpose,
    breakGlass: fields.agreement === null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    outcome: null,
    payload,
    payloadSha256: payloadDigest(payload),
    area: concern.area,
    subjectDateOfBirth: concern.subject.dateOfBirth,
    erasedAt: null,
    recall: null,
  };
}
