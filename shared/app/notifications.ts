import { evaluateOpening } from "../domain/agreements.js";
import { type AuditDraft, payloadDigest } from "../domain/audit.js";
import { narrow } from "../domain/minimise.js";
import type { NotificationRecord, Page } from "../domain/records.js";
import { ageOn } from "../domain/time.js";
import type { DataCategory, NotificationStatus, Outcome } from "../domain/vocabulary.js";
import { conflict, disclosureRecalled, disclosureWithdrawn, notFound } from "../errors.js";
import type { Clock, ConcernStore, Ids, NotificationStore, RegistryStore } from "../ports.js";
import { aboutNotification, actorOf, auditDraft, type Caller } from "./context.js";
import { refuseUnlessKeyAdult } from "./key-adults.js";
import { pick } from "./views.js";

export interface NotificationDeps {
  clock: Clock;
  ids: Ids;
  notifications: NotificationStore;
  /** The agreement a notification cites is read again at every opening. */
  registry: Pick<RegistryStore, "getAgreement">;
  /** Notifications stored before they carried their area read it from their concern. */
  concerns: Pick<ConcernStore, "getConcern">;
}

/** The notification as its recipient sees it: the envelope, the state and (when opened) the payload. */
export function present(n: NotificationRecord, withPayload: boolean) {
  return {
    ...pick(n, [
      "id",
      "recipientId",
      "status",
      "concernId",
      "concernType",
      "occurredAt",
      "dueBy",
      "agreement",
      "dataCategories",
      "breakGlass",
      "createdAt",
      "acknowledgedAt",
    ]),
    outcome: n.outcome
      ? { outcome: n.outcome.outcome, note: n.outcome.note, recordedAt: n.outcome.recordedAt }
      : null,
    retainUntil: n.retainUntil ?? null,
    erasedAt: n.erasedAt ?? null,
    recalledAt: n.recall?.at ?? null,
    ...(withPayload ? { payload: n.payload } : {}),
  };
}

/**
 * A partner only ever sees its own notifications; another partner's is answered exactly as a
 * missing one, so ids reveal nothing.
 */
export async function ownNotification(
  deps: Pick<NotificationDeps, "notifications">,
  caller: Caller,
  id: string,
): Promise<NotificationRecord> {
  const n = await deps.notifications.getNotification(id);
  if (!n || n.recipientId !== caller.partner.id) throw notFound("No such notification.");
  return n;
}

/** An event about one notification, by its recipient: the members it always carries. */
function eventFor(
  deps: NotificationDeps,
  caller: Caller,
  n: NotificationRecord,
  at: string,
  fields: Pick<AuditDraft, "action"> & Partial<AuditDraft>,
): AuditDraft {
  return auditDraft({
    id: deps.ids.next("evt"),
    at,
    actor: actorOf(caller),
    ...aboutNotification(n),
    lawfulBasis: n.lawfulBasis,
    requestId: caller.requestId,
    ...fields,
  });
}

/** Acknowledged, and whether it was late: the same event from acknowledge or an outcome. */
const acknowledgedEvent = (deps: NotificationDeps, caller: Caller, n: NotificationRecord, at: string) =>
  eventFor(deps, caller, n, at, {
    action: "notification_acknowledged",
    reason: n.status === "overdue" ? "acknowledged_after_due" : null,
  });

export async function listInbox(
  deps: NotificationDeps,
  caller: Caller,
  status: NotificationStatus | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<Page<ReturnType<typeof present>>> {
  const page = await deps.notifications.listNotifications(caller.partner.id, status, cursor, limit);
  return { items: page.items.map((n) => present(n, false)), nextCursor: page.nextCursor };
}

type Opening =
  | {
      granted: true;
      dataCategories: DataCategory[];
      agreement: NotificationRecord["agreement"];
      lawfulBasis: string[] | null;
    }
  | { granted: false; reason: string };

/**
 * What the recipient may see now. A break-glass notification opens until it is recalled or
 * erased; an erased one discloses nothing; any other is decided again, by the same rules as
 * at submission, against the agreement it cites as that agreement stands now.
 */
async function openingNow(deps: NotificationDeps, n: NotificationRecord, now: Date): Promise<Opening> {
  if (n.breakGlass || n.payload === null || n.agreement === null) {
    return {
      granted: true,
      dataCategories: n.dataCategories,
      agreement: n.agreement,
      lawfulBasis: n.lawfulBasis,
    };
  }
  const agreement = await deps.registry.getAgreement(n.agreement.id);
  let area = n.area;
  let dateOfBirth = n.subjectDateOfBirth;
  if (area === undefined || dateOfBirth === undefined) {
    const concern = await deps.concerns.getConcern(n.concernId);
    area = concern?.area ?? "";
    dateOfBirth = concern?.body?.subject.dateOfBirth ?? null;
  }
  if (dateOfBirth === null) return { granted: false, reason: "outside_age_range" };
  const evaluation = evaluateOpening(
    {
      agreementId: n.agreement.id,
      discloserId: n.discloserId,
      recipientId: n.recipientId,
      purpose: n.purpose,
      concernType: n.concernType,
      area,
      age: ageOn(dateOfBirth, now),
      dataCategories: n.dataCategories,
    },
    agreement ? [agreement.value] : [],
    now,
  );
  if (!evaluation.granted) return { granted: false, reason: evaluation.reason };
  return {
    granted: true,
    dataCategories: evaluation.dataCategories,
    agreement: evaluation.agreement,
    lawfulBasis: evaluation.lawfulBasis,
  };
}

/**
 * Opening a notification is the disclosure of its payload (pushes are thin), so the agreement
 * is checked again here, the payload narrowed to what it grants now, and every opening, or
 * refusal to open, audited first.
 */
export async function openNotification(deps: NotificationDeps, caller: Caller, id: string) {
  const n = await ownNotification(deps, caller, id);
  await refuseUnlessKeyAdult(deps, caller, n, "open");
  const now = deps.clock.now();
  const at = now.toISOString();
  const refused = (reason: string) =>
    deps.notifications.audit([eventFor(deps, caller, n, at, { action: "disclosure_refused", reason })]);
  if (n.status === "recalled") {
    await refused("disclosure_recalled");
    throw disclosureRecalled();
  }
  const opening = await openingNow(deps, n, now);
  if (!opening.granted) {
    await refused(opening.reason);
    throw disclosureWithdrawn();
  }
  const payload = n.payload === null ? null : narrow(n.payload, opening.dataCategories);
  await deps.notifications.audit([
    eventFor(deps, caller, n, at, {
      action: "notification_opened",
      agreement: opening.agreement,
      lawfulBasis: opening.lawfulBasis,
      dataCategories: n.payload === null ? [] : opening.dataCategories,
      payloadSha256: payloadDigest(payload),
    }),
  ]);
  return { ...present({ ...n, dataCategories: opening.dataCategories, payload }, true) };
}

/** A recalled notification answers 410 to everything its recipient asks of it. */
function stillHeld(n: NotificationRecord): void {
  if (n.status === "recalled") throw disclosureRecalled();
}

export async function acknowledge(deps: NotificationDeps, caller: Caller, id: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const n = await ownNotification(deps, caller, id);
    await refuseUnlessKeyAdult(deps, caller, n, "respond");
    stillHeld(n);
    // Acknowledging twice is harmless and answers the state as it is.
    if (n.status === "acknowledged" || n.status === "closed") return present(n, false);
    const at = deps.clock.now().toISOString();
    const next: NotificationRecord = {
      ...n,
      status: "acknowledged",
      acknowledgedAt: at,
      acknowledgedBy: actorOf(caller),
    };
    const events = [acknowledgedEvent(deps, caller, n, at)];
    if ((await deps.notifications.transition(next, n.status, events)) === "ok") return present(next, false);
  }
  throw conflict("The notification changed while it was being acknowledged; try again.");
}

/**
 * Record what the partner did. An outcome acknowledges a notification that was not yet
 * acknowledged (both are audited). The free-text note is personal data: it is kept with the
 * notification and never enters the audit trail.
 */
export async function recordOutcome(
  deps: NotificationDeps,
  caller: Caller,
  id: string,
  outcome: Outcome,
  note: string | undefined,
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const n = await ownNotification(deps, caller, id);
    await refuseUnlessKeyAdult(deps, caller, n, "respond");
    stillHeld(n);
    if (n.status === "closed") throw conflict("An outcome has already been recorded for this notification.");
    const at = deps.clock.now().toISOString();
    const actor = actorOf(caller);
    const events: AuditDraft[] = [];
    if (n.status !== "acknowledged") events.push(acknowledgedEvent(deps, caller, n, at));
    events.push(eventFor(deps, caller, n, at, { action: "outcome_recorded", reason: outcome }));
    const next: NotificationRecord = {
      ...n,
      status: "closed",
      acknowledgedAt: n.acknowledgedAt ?? at,
      acknowledgedBy: n.acknowledgedBy ?? actor,
      outcome: { outcome, note: note ?? null, recordedAt: at, recordedBy: actor },
    };
    if ((await deps.notifications.transition(next, n.status, events)) === "ok") return present(next, false);
  }
  throw conflict("The notification changed while its outcome was being recorded; try again.");
}
