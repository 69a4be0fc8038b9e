import {
  type AuditDraft,
  type AuditEvent,
  chain,
  GENESIS_HASH,
  type ShardHead,
} from "../../shared/domain/audit.js";

/** Helpers for audit-trail tests: deterministic drafts, chains per shard, and safe indexing. */

/** A deterministic draft: the same n always gives the same event content. */
export function fixedDraft(n: number, overrides: Partial<AuditDraft> = {}): AuditDraft {
  const second = String(n % 60).padStart(2, "0");
  const minute = String(Math.floor(n / 60) % 60).padStart(2, "0");
  return {
    id: `evt_fixed_${n}`,
    at: `2026-11-23T23:${minute}:${second}.000Z`,
    action: n % 3 === 0 ? "notification_opened" : "disclosure",
    actor: { partnerId: "essex-police", sub: "pc-1234", clientId: "essex-police-app" },
    subjectId: `subj_${n % 4}`,
    concernId: `con_${Math.floor(n / 2)}`,
    notificationId: `ntf_${n}`,
    recipientId: n % 2 === 0 ? "essex-mash" : "st-marys-primary",
    agreement: { id: n % 2 === 0 ? "mash-essex" : "encompass-st-marys", version: 1 },
    purpose: "safeguarding",
    lawfulBasis: ["Children Act 2004 s11"],
    dataCategories: ["identity", "education"],
    payloadSha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    reason: null,
    target: null,
    requestId: `req_${n}`,
    ...overrides,
  };
}

export const genesis = (shard: number): ShardHead => ({ shard, seq: 0, hash: GENESIS_HASH });

/** `count` fixed events chained on `shard` from its genesis; draft numbers start at `first`. */
export function fixedShard(shard: number, count: number, first = shard * 100 + 1): AuditEvent[] {
  return chain(
    Array.from({ length: count }, (_, i) => fixedDraft(first + i)),
    genesis(shard),
  );
}

/** The head a checkpoint signs after event `seq` of a shard's events. */
export function headAt(events: readonly AuditEvent[], seq: number): ShardHead {
  const event = events.find((e) => e.seq === seq);
  if (!event) throw new Error(`no event at seq ${seq}`);
  return { shard: event.shard, seq: event.seq, hash: event.hash };
}

/** An indexed element that must exist (strict TS with noUncheckedIndexedAccess). */
export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}
