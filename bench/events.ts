import { createHash } from "node:crypto";
import {
  type AuditDraft,
  type AuditEvent,
  chain,
  GENESIS_HASH,
  type ShardHead,
} from "../shared/domain/audit.js";

/**
 * Synthetic audit events shaped like a submission's disclosures: every member filled as a real
 * disclosure fills it, so canonical JSON and items are the size Lantern writes.
 */

const RECIPIENTS = ["essex-mash", "st-marys-primary", "essex-yos", "essex-la"] as const;
const hex = (seed: string) => createHash("sha256").update(seed).digest("hex");

/** A pseudonymous subject id of the shape Lantern derives (64 hex). */
export const subjectIdOf = (n: number) => hex(`bench-subject-${n}`);

export function disclosureDraft(n: number, subjectId: string, at: Date): AuditDraft {
  const recipientId = RECIPIENTS[n % RECIPIENTS.length] as string;
  return {
    id: `evt_${hex(`evt-${n}`).slice(0, 32)}`,
    at: at.toISOString(),
    action: "disclosure",
    actor: { partnerId: "essex-police", sub: "pc-1234", clientId: "essex-police-app" },
    subjectId,
    concernId: `con_${hex(`con-${Math.floor(n / 2)}`).slice(0, 32)}`,
    notificationId: `ntf_${hex(`ntf-${n}`).slice(0, 32)}`,
    recipientId,
    agreement: { id: `${recipientId}-essex`, version: 1 },
    purpose: "safeguarding",
    lawfulBasis: ["UK GDPR Art. 6(1)(e)", "DPA 2018 Sch. 1 para 18"],
    dataCategories: ["identity", "education", "voice_of_child"],
    payloadSha256: hex(`payload-${n}`),
    reason: null,
    target: null,
    requestId: `req-${n}`,
  };
}

/** Chains drafts round-robin over `shards`, continuing from (and advancing) `heads`. */
export function chainRoundRobin(drafts: readonly AuditDraft[], heads: ShardHead[]): AuditEvent[] {
  const perShard: AuditDraft[][] = heads.map(() => []);
  drafts.forEach((d, i) => {
    perShard[i % heads.length]?.push(d);
  });
  const out: AuditEvent[] = [];
  perShard.forEach((list, shard) => {
    const head = heads[shard] as ShardHead;
    const events = chain(list, head);
    out.push(...events);
    const last = events.at(-1);
    if (last) heads[shard] = { shard, seq: last.seq, hash: last.hash };
  });
  return out;
}

export const emptyHeads = (shards: number): ShardHead[] =>
  Array.from({ length: shards }, (_, shard) => ({ shard, seq: 0, hash: GENESIS_HASH }));
