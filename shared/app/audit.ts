import { type AuditEvent, verifyShard } from "../domain/audit.js";
import type { AuditQuery, AuditStore, Clock, Ids, NotificationStore, Page, Verification } from "../ports.js";
import { actorOf, type Caller } from "./context.js";

export interface AuditDeps {
  clock: Clock;
  ids: Ids;
  audit: AuditStore;
  notifications: NotificationStore;
}

export function queryEvents(
  deps: AuditDeps,
  filter: AuditQuery,
  cursor: string | undefined,
  limit: number,
): Promise<Page<AuditEvent>> {
  return deps.audit.query(filter, cursor, limit);
}

/**
 * Export the trail as JSON Lines, shard by shard in seq order. The export is itself audited
 * before it is read, so the export holds the record of its own making.
 */
export async function exportEvents(deps: AuditDeps, caller: Caller): Promise<string> {
  await deps.notifications.audit([
    {
      id: deps.ids.next("evt"),
      at: deps.clock.now().toISOString(),
      action: "audit_exported",
      actor: actorOf(caller),
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
      target: { kind: "audit_trail", id: "all" },
      requestId: caller.requestId,
    },
  ]);
  const lines: string[] = [];
  for (let shard = 0; shard < deps.audit.shardCount(); shard++) {
    for await (const page of deps.audit.readShard(shard)) {
      for (const event of page) lines.push(JSON.stringify(event));
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** Recompute every hash and link of every shard. */
export async function verifyTrail(deps: AuditDeps): Promise<Verification> {
  const problems: Verification["problems"] = [];
  let eventsChecked = 0;
  for (let shard = 0; shard < deps.audit.shardCount(); shard++) {
    const events: AuditEvent[] = [];
    for await (const page of deps.audit.readShard(shard)) events.push(...page);
    eventsChecked += events.length;
    problems.push(...verifyShard(shard, events));
  }
  return { valid: problems.length === 0, eventsChecked, checkpointsChecked: 0, problems };
}
