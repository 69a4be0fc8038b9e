import type { AuditDraft } from "../domain/audit.js";
import type {
  AuditStore,
  ConcernRecord,
  ErasureDue,
  Ids,
  NotificationRecord,
  RetentionStore,
} from "../ports.js";
import { auditDraft, SWEEPER, sweepEvent } from "./context.js";

/**
 * Retention: after its `retainUntil` a notification's payload and free text are erased, and
 * after its `eraseAfter` a concern's body and break-glass justification; each erasure commits
 * with its one `content_erased` event. The event names what was erased, never what it said.
 */
export interface RetentionDeps {
  ids: Ids;
  erasures: RetentionStore;
  /** To find a concern's withheld decisions, whose reviews hold the officer's justification. */
  audit: Pick<AuditStore, "query">;
}

const REASON = "retention_period_ended";
const PAGE = 25;

/** Whether the notification still holds anything personal (a recall leaves IG's note). */
function holdsPersonalData(n: NotificationRecord): boolean {
  return (
    n.payload != null || n.subjectDateOfBirth != null || n.outcome?.note != null || n.recall?.note != null
  );
}

async function eraseNotification(deps: RetentionDeps, due: ErasureDue, at: string): Promise<boolean> {
  const n = await deps.erasures.getNotification(due.id);
  if (!n || !holdsPersonalData(n)) {
    await deps.erasures.dropErasure(due);
    return true;
  }
  const next: NotificationRecord = {
    ...n,
    payload: null,
    subjectDateOfBirth: null,
    outcome: n.outcome ? { ...n.outcome, note: null } : null,
    recall: n.recall ? { ...n.recall, note: null } : null,
    erasedAt: n.erasedAt ?? at,
  };
  const event = sweepEvent(deps, "content_erased", n, at, REASON);
  return (await deps.erasures.eraseNotification(next, n, [event])) === "ok";
}

async function eraseConcern(deps: RetentionDeps, due: ErasureDue, at: string): Promise<boolean> {
  const c = await deps.erasures.getConcern(due.id);
  if (!c || c.erasedAt) {
    await deps.erasures.dropErasure(due);
    return true;
  }
  const next: ConcernRecord = { ...c, body: null, breakGlass: null, erasedAt: at };
  const event: AuditDraft = auditDraft({
    id: deps.ids.next("evt"),
    at,
    action: "content_erased",
    actor: SWEEPER,
    subjectId: c.subjectId,
    concernId: c.id,
    reason: REASON,
    target: { kind: "concern", id: c.id },
  });
  // A break glass's review is keyed by the notification it created and copies the
  // justification; a withheld decision's review is named only by its audit event.
  const reviewIds = [...(c.breakGlass ? c.notificationIds : []), ...(await withheldReviewIds(deps, c))];
  return (await deps.erasures.eraseConcern(next, reviewIds, [event])) === "ok";
}

async function withheldReviewIds(deps: RetentionDeps, c: ConcernRecord): Promise<string[]> {
  if (!c.withheld?.length) return [];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.query({ concernId: c.id, action: "disclosure_withheld" }, cursor, 100);
    for (const e of page.items) if (e.target?.kind === "disclosure_withheld") ids.push(e.target.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/**
 * One sweep: every erasure due by `now`, oldest first, until the queue is empty or the wall
 * clock reaches `stopAt` (epoch ms; the next sweep carries on). Each step is safe to repeat:
 * an entry already done is dropped, one that changed while it was read is decided again on
 * the next sweep. Returns how many entries were done with.
 */
export async function sweepErasures(deps: RetentionDeps, now: Date, stopAt: number): Promise<number> {
  const at = now.toISOString();
  let done = 0;
  while (Date.now() < stopAt) {
    const due = await deps.erasures.due("erasures", at, PAGE);
    let doneNow = 0;
    for (const entry of due) {
      if (Date.now() >= stopAt) break;
      const erase = entry.kind === "notification" ? eraseNotification : eraseConcern;
      if (await erase(deps, entry, at)) doneNow++;
    }
    done += doneNow;
    // The queue index is eventually consistent: a page with no progress (entries done a
    // moment ago, or changed meanwhile) ends this run rather than spin; the next one sees it settled.
    if (doneNow === 0 || due.length < PAGE) return done;
  }
  return done;
}
