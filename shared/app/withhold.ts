import type { Actor, AuditDraft } from "../domain/audit.js";
import type { ConcernSubmission } from "../domain/concern.js";
import type { RoutedRecipient } from "../domain/routing.js";
import { type FieldError, validationFailed } from "../errors.js";
import type { BreakGlassReview, Ids } from "../ports.js";
import { auditDraft } from "./context.js";

/** The only ground the law gives for not sharing (Children Act 2004 s16LA). */
export const WITHHELD_REASON = "more_detrimental";

export interface Withheld {
  recipientId: string;
  reason: typeof WITHHELD_REASON;
}

/**
 * The officer's decisions not to share, checked against the routed recipients before anything is
 * written: a recipient the concern does not route to (or named twice) is a 400, because a
 * decision about nobody is a mistake the officer must see.
 */
export function withholdings(concern: ConcernSubmission, recipients: readonly RoutedRecipient[]) {
  const decisions = concern.withhold ?? [];
  const errors: FieldError[] = [];
  const named = new Set<string>();
  decisions.forEach((d, i) => {
    if (!recipients.some((r) => r.recipientId === d.recipientId)) {
      errors.push({
        path: `/withhold/${i}/recipientId`,
        message: "this concern does not route to that recipient",
      });
    } else if (named.has(d.recipientId)) {
      errors.push({ path: `/withhold/${i}/recipientId`, message: "names a recipient already withheld" });
    }
    named.add(d.recipientId);
  });
  if (errors.length > 0) throw validationFailed(errors);
  return {
    /** The routed recipients that go ahead: disclosed, refused or broken glass as usual. */
    disclosed: recipients.filter((r) => !named.has(r.recipientId)),
    withheld: recipients.filter((r) => named.has(r.recipientId)),
    justificationOf: (recipientId: string) =>
      decisions.find((d) => d.recipientId === recipientId)?.justification ?? "",
  };
}

type Base = Pick<AuditDraft, "at" | "actor" | "subjectId" | "concernId" | "requestId"> & {
  subjectId: string;
  concernId: string;
  actor: Actor;
};

/**
 * One `disclosure_withheld` event per withheld recipient, naming what would have been shared;
 * the justification is free text and stays with the review, out of the trail. Each decision
 * waits in IG's review queue like a break glass, written in the same transaction.
 */
export function withheldDecisions(
  ids: Ids,
  base: Base,
  discloserId: string,
  plan: ReturnType<typeof withholdings>,
): { events: AuditDraft[]; reviews: BreakGlassReview[]; receipt: Withheld[] } {
  const events: AuditDraft[] = [];
  const reviews: BreakGlassReview[] = [];
  for (const r of plan.withheld) {
    const id = ids.next("wdr");
    events.push(
      auditDraft({
        ...base,
        id: ids.next("evt"),
        action: "disclosure_withheld",
        recipientId: r.recipientId,
        purpose: r.purpose,
        dataCategories: r.dataCategories,
        reason: WITHHELD_REASON,
        target: { kind: "disclosure_withheld", id },
      }),
    );
    reviews.push({
      id,
      kind: "withheld",
      concernId: base.concernId,
      subjectId: base.subjectId,
      recipientId: r.recipientId,
      discloserId,
      disclosedAt: base.at,
      disclosedBy: base.actor,
      dataCategories: r.dataCategories,
      overrodeReason: null,
      justification: plan.justificationOf(r.recipientId),
      status: "pending",
      finding: null,
      note: null,
      reviewedAt: null,
      reviewedBy: null,
    });
  }
  return {
    events,
    reviews,
    receipt: plan.withheld.map((r) => ({ recipientId: r.recipientId, reason: WITHHELD_REASON })),
  };
}
