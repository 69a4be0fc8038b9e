import type { Actor } from "../domain/audit.js";
import { conflict, notFound, selfReview } from "../errors.js";
import type { BreakGlassReview, Clock, Ids, Page, ReviewStore } from "../ports.js";
import { openBreach } from "./breaches.js";
import { actorOf, auditDraft, type Caller } from "./context.js";

/** Information governance's queue of break-glass disclosures, each reviewed once, with a finding. */
export interface ReviewDeps {
  clock: Clock;
  ids: Ids;
  reviews: ReviewStore;
}

export function listReviews(
  deps: ReviewDeps,
  status: BreakGlassReview["status"] | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<Page<BreakGlassReview>> {
  return deps.reviews.list(status, cursor, limit);
}

export async function readReview(deps: ReviewDeps, id: string): Promise<BreakGlassReview> {
  const review = await deps.reviews.get(id);
  if (!review) throw notFound("No such break-glass disclosure.");
  return review;
}

/**
 * Every kind of review (break glass, withheld) goes through here: the user who made a
 * decision never reviews it. A `sub` names one user at the issuer, whichever client they use.
 */
export function assertNotOwnDecision(caller: Caller, decidedBy: Actor): void {
  if (decidedBy.sub !== null && decidedBy.sub === caller.sub) throw selfReview();
}

/** The finding is audited; the note is IG's free text and stays with the review. */
export async function recordFinding(
  deps: ReviewDeps,
  caller: Caller,
  id: string,
  finding: NonNullable<BreakGlassReview["finding"]>,
  note: string | undefined,
): Promise<BreakGlassReview> {
  const review = await readReview(deps, id);
  assertNotOwnDecision(caller, review.disclosedBy);
  if (review.status === "reviewed") throw conflict("This break-glass disclosure has already been reviewed.");
  const at = deps.clock.now().toISOString();
  const next: BreakGlassReview = {
    ...review,
    status: "reviewed",
    finding,
    note: note ?? null,
    reviewedAt: at,
    reviewedBy: actorOf(caller),
  };
  const event = auditDraft({
    id: deps.ids.next("evt"),
    at,
    action: "break_glass_reviewed",
    actor: actorOf(caller),
    subjectId: review.subjectId,
    concernId: review.concernId,
    // A withheld disclosure made no notification: its review id is the decision's own.
    notificationId: review.kind === "withheld" ? null : review.id,
    recipientId: review.recipientId,
    dataCategories: review.dataCategories,
    reason: finding,
    target: {
      kind: review.kind === "withheld" ? "disclosure_withheld" : "break_glass_disclosure",
      id: review.id,
    },
    requestId: caller.requestId,
  });
  // A break-glass disclosure IG finds not justified is a personal data breach. (A withheld
  // one disclosed nothing, so it is not.)
  const breach =
    finding === "not_justified" && review.kind !== "withheld"
      ? openBreach(
          deps.ids.next("brc"),
          "break_glass_not_justified",
          {
            id: review.id,
            concernId: review.concernId,
            recipientId: review.recipientId,
            subjectId: review.subjectId,
          },
          at,
        )
      : null;
  if ((await deps.reviews.save(next, "pending", [event], breach ? [breach] : [])) !== "ok") {
    throw conflict("This break-glass disclosure has already been reviewed.");
  }
  return next;
}
