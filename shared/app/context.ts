import type { Actor, AuditDraft } from "../domain/audit.js";
import type { NotificationRecord } from "../domain/records.js";
import type { Partner } from "../domain/registry.js";
import type { AuditAction } from "../domain/vocabulary.js";
import type { Clock, Ids } from "../ports.js";

/** Who is calling: the partner their OAuth client belongs to, the user, and the request. */
export interface Caller {
  partner: Partner;
  sub: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  requestId: string;
}

export function actorOf(caller: Caller): Actor {
  return { partnerId: caller.partner.id, sub: caller.sub, clientId: caller.clientId };
}

/** An audit event with every member the contract lists, `null` unless given. */
export function auditDraft(
  fields: Pick<AuditDraft, "id" | "at" | "action" | "actor"> & Partial<AuditDraft>,
): AuditDraft {
  return {
    subjectId: null,
    concernId: null,
    notificationId: null,
    recipientId: null,
    agreement: null,
    purpose: null,
    lawfulBasis: null,
    dataCategories: null,
    payloadSha256: null,
    reason: null,
    target: null,
    requestId: null,
    ...fields,
  };
}

/** An event a caller's request causes: who, when (now unless given), and in which request. */
export function callerEvent(
  deps: { ids: Ids; clock: Clock },
  caller: Caller,
  action: AuditAction,
  members: Partial<AuditDraft> = {},
): AuditDraft {
  return auditDraft({
    id: deps.ids.next("evt"),
    at: deps.clock.now().toISOString(),
    action,
    actor: actorOf(caller),
    requestId: caller.requestId,
    ...members,
  });
}

/** The hub's own sweep, as the actor of what it does when a time comes (overdue, erasure). */
export const SWEEPER: Actor = { partnerId: null, sub: "lantern-sweep", clientId: null };

/** An event the sweep records about one notification, for a stated reason. */
export function sweepEvent(
  deps: { ids: Ids },
  action: AuditAction,
  n: NotificationRecord,
  at: string,
  reason: string,
): AuditDraft {
  return auditDraft({
    id: deps.ids.next("evt"),
    at,
    action,
    actor: SWEEPER,
    ...aboutNotification(n),
    reason,
    target: { kind: "notification", id: n.id },
  });
}

/** The members an event about one notification carries: whose, which concern, to whom, on what footing. */
export function aboutNotification(
  n: Pick<NotificationRecord, "subjectId" | "concernId" | "id" | "recipientId" | "agreement" | "purpose">,
): Pick<AuditDraft, "subjectId" | "concernId" | "notificationId" | "recipientId" | "agreement" | "purpose"> {
  return {
    subjectId: n.subjectId,
    concernId: n.concernId,
    notificationId: n.id,
    recipientId: n.recipientId,
    agreement: n.agreement,
    purpose: n.purpose,
  };
}

/**
 * The management and audit scopes administer or audit the whole hub, so a partner's own
 * issuer must not be able to grant them: they count only for a governance partner's clients.
 */
export function isGovernanceScope(scope: string): boolean {
  return scope.endsWith(":manage") || scope.startsWith("audit:");
}

/** The token's scopes that the hub honours for this partner. */
export function honouredScopes(partner: Partner, scopes: ReadonlySet<string>): Set<string> {
  if (partner.governance === true) return new Set(scopes);
  return new Set([...scopes].filter((s) => !isGovernanceScope(s)));
}
