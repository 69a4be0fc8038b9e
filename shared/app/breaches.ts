import type { AuditEvent } from "../domain/audit.js";
import type { Breach, NotificationRecord, Page } from "../domain/records.js";
import type { Partner } from "../domain/registry.js";
import { breachReportBy } from "../domain/retention.js";
import type { BreachStatus, RecallReason } from "../domain/vocabulary.js";
import { conflict, notFound } from "../errors.js";
import type {
  AuditStore,
  BreachStore,
  CheckpointStore,
  Clock,
  Ids,
  NotificationStore,
  RegistryStore,
} from "../ports.js";
import { aboutNotification, actorOf, auditDraft, type Caller, callerEvent, SWEEPER } from "./context.js";
import { present } from "./notifications.js";
import { pushesFor } from "./timeliness.js";

/**
 * When sharing must stop after the fact: IG recalls a disclosure, and every recall (or a
 * break-glass disclosure found not justified) is a personal data breach to be reported to the
 * ICO within 72 hours or recorded as not reportable (UK GDPR Art. 33).
 */
export interface BreachDeps {
  clock: Clock;
  ids: Ids;
  notifications: NotificationStore;
  registry: Pick<RegistryStore, "getPartner">;
  breaches: BreachStore;
  audit: Pick<AuditStore, "query">;
  checkpoints: Pick<CheckpointStore, "latestCheckpoint" | "listCheckpoints">;
}

/** A breach record about one notification, opened now. */
export function openBreach(
  id: string,
  cause: Breach["cause"],
  n: Pick<NotificationRecord, "id" | "concernId" | "recipientId" | "subjectId">,
  at: string,
): Breach {
  return {
    id,
    cause,
    notificationId: n.id,
    concernId: n.concernId,
    recipientId: n.recipientId,
    subjectId: n.subjectId,
    detectedAt: at,
    reportBy: breachReportBy(at),
    status: "open",
    decision: null,
  };
}

/**
 * Withdraw a disclosure at once: the payload and every free text are erased, the recipient
 * is told by a thin `notification.recalled` push, and the recall, its audit event and the
 * breach it opens commit together. The note is IG's and stays out of the trail.
 */
export async function recallNotification(
  deps: BreachDeps,
  caller: Caller,
  id: string,
  reason: RecallReason,
  note: string | undefined,
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const n = await deps.notifications.getNotification(id);
    if (!n) throw notFound("No such notification.");
    if (n.status === "recalled") throw conflict("This notification has already been recalled.");
    const now = deps.clock.now();
    const at = now.toISOString();
    const next: NotificationRecord = {
      ...n,
      status: "recalled",
      payload: null,
      subjectDateOfBirth: null,
      outcome: n.outcome ? { ...n.outcome, note: null } : null,
      erasedAt: n.erasedAt ?? at,
      recall: { reason, note: note ?? null, at, by: actorOf(caller) },
    };
    const breach = openBreach(deps.ids.next("brc"), "recall", n, at);
    const event = callerEvent(deps, caller, "disclosure_recalled", {
      at,
      ...aboutNotification(n),
      reason,
      target: { kind: "notification", id: n.id },
    });
    const partner: Partner | undefined = (await deps.registry.getPartner(n.recipientId))?.value;
    const pushes = pushesFor(partner, "notification.recalled", n, now);
    if ((await deps.notifications.recall(next, n.status, [event], breach, pushes)) === "ok") {
      return { ...present(next, true), breachId: breach.id };
    }
  }
  throw conflict("The notification changed while it was being recalled; try again.");
}

/** Every audit event about the breach's notification, and the first checkpoint that covers them. */
async function evidenceOf(deps: BreachDeps, b: Breach) {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.audit.query({ concernId: b.concernId }, cursor, 100);
    events.push(...page.items.filter((e) => e.notificationId === b.notificationId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const last = events.reduce<AuditEvent | null>(
    (latest, e) => (latest === null || e.at >= latest.at ? e : latest),
    null,
  );
  return { events, checkpoint: last ? await firstCovering(deps, last) : null };
}

/**
 * The first checkpoint whose head for the event's shard has reached the event. Heads only
 * grow, so covering is monotone in the checkpoint number: a binary search reads about
 * log2(n) checkpoints rather than all of them.
 */
async function firstCovering(deps: BreachDeps, event: Pick<AuditEvent, "shard" | "seq">) {
  const latest = await deps.checkpoints.latestCheckpoint();
  const covers = (c: { payload: { heads: { shard: number; seq: number }[] } }) =>
    c.payload.heads.some((h) => h.shard === event.shard && h.seq >= event.seq);
  if (!latest || !covers(latest)) return null;
  let low = 1;
  let high = latest.number;
  let found = latest;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const [candidate] = await deps.checkpoints.listCheckpoints(middle, 1);
    if (candidate && covers(candidate)) {
      found = candidate;
      high = middle;
    } else low = middle + 1;
  }
  if (found.number !== low) found = (await deps.checkpoints.listCheckpoints(low, 1))[0] ?? found;
  return { number: found.number, at: found.payload.at, checkpoint: found.jws };
}

async function withEvidence(deps: BreachDeps, b: Breach) {
  return { ...b, evidence: await evidenceOf(deps, b) };
}

export async function listBreaches(
  deps: BreachDeps,
  status: BreachStatus | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<Page<Awaited<ReturnType<typeof withEvidence>>>> {
  const page = await deps.breaches.list(status, cursor, limit);
  return {
    items: await Promise.all(page.items.map((b) => withEvidence(deps, b))),
    nextCursor: page.nextCursor,
  };
}

export async function readBreach(deps: BreachDeps, id: string) {
  const b = await deps.breaches.get(id);
  if (!b) throw notFound("No such breach.");
  return withEvidence(deps, b);
}

/** Decide once whether the breach was reported to the ICO; the rationale stays out of the trail. */
export async function decideBreach(
  deps: BreachDeps,
  caller: Caller,
  id: string,
  decision: "reported" | "not_reportable",
  reference: string | undefined,
  rationale: string | undefined,
) {
  const b = await deps.breaches.get(id);
  if (!b) throw notFound("No such breach.");
  if (b.decision !== null) throw conflict("This breach has already been decided.");
  const at = deps.clock.now().toISOString();
  const next: Breach = {
    ...b,
    status: decision,
    decision: {
      decision,
      reference: reference ?? null,
      rationale: rationale ?? null,
      decidedAt: at,
      decidedBy: actorOf(caller),
    },
  };
  const event = auditDraft({
    id: deps.ids.next("evt"),
    at,
    action: "breach_decided",
    actor: actorOf(caller),
    subjectId: b.subjectId,
    concernId: b.concernId,
    notificationId: b.notificationId,
    recipientId: b.recipientId,
    reason: decision,
    target: { kind: "breach", id: b.id },
    requestId: caller.requestId,
  });
  if ((await deps.breaches.save(next, b.status, [event])) !== "ok") {
    throw conflict("This breach has already been decided.");
  }
  return withEvidence(deps, next);
}

/** Undecided breaches past their 72 hours become overdue, each with one deadline_missed event. */
export async function sweepBreaches(
  deps: Pick<BreachDeps, "clock" | "ids" | "breaches">,
  stopAt: number = Number.POSITIVE_INFINITY,
): Promise<number> {
  const now = deps.clock.now().toISOString();
  let marked = 0;
  while (Date.now() < stopAt) {
    let markedNow = 0;
    for (const b of await deps.breaches.due("breaches", now, 25)) {
      const event = auditDraft({
        id: deps.ids.next("evt"),
        at: now,
        action: "deadline_missed",
        actor: SWEEPER,
        subjectId: b.subjectId,
        concernId: b.concernId,
        notificationId: b.notificationId,
        recipientId: b.recipientId,
        reason: "breach_not_decided_in_72_hours",
        target: { kind: "breach", id: b.id },
      });
      if ((await deps.breaches.save({ ...b, status: "overdue" }, "open", [event])) === "ok") markedNow++;
    }
    marked += markedNow;
    // As for notifications: a page of nothing but stale index entries ends this run.
    if (markedNow === 0) break;
  }
  return marked;
}
