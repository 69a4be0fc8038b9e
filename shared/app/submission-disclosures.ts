import type { Evaluation } from "../domain/agreements.js";
import { type AuditDraft, payloadDigest } from "../domain/audit.js";
import type { ConcernSubmission } from "../domain/concern.js";
import { minimise } from "../domain/minimise.js";
import { notificationRetainUntil } from "../domain/retention.js";
import type { RoutedRecipient } from "../domain/routing.js";
import { utc } from "../domain/time.js";
import { type RefusalReason, UNACKNOWLEDGED } from "../domain/vocabulary.js";
import type { BreakGlassReview, ConcernRecord, Ids, NotificationRecord } from "../ports.js";
import { auditDraft } from "./context.js";

/** One routed recipient's outcome (a notification and its event, or a refusal), and break-glass reviews. */

export interface RetentionDays {
  breakGlassDays: number;
}

/** Every break-glass disclosure waits in IG's review queue, created in the same transaction. */
export function breakGlassReviews(
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

export type BaseEvent = Pick<AuditDraft, "at" | "actor" | "subjectId" | "concernId" | "target" | "requestId">;

/**
 * One routed recipient: a disclosure under its agreement, a break-glass disclosure with the
 * rule's categories when there is no authorising agreement and the officer broke glass, or a
 * refusal. Each is one audit event.
 */
export function disclose(
  deps: { ids: Ids },
  concern: ConcernSubmission,
  r: RoutedRecipient,
  evaluation: Evaluation,
  baseEvent: BaseEvent,
  discloserId: string,
  retention: RetentionDays,
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

function makeNotification(
  deps: { ids: Ids },
  concern: ConcernSubmission,
  r: RoutedRecipient,
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
    status: UNACKNOWLEDGED,
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
