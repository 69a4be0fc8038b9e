import { createHash } from "node:crypto";
import { canonicalEvent, canonicalJson } from "./jcs.js";
import type { AuditAction, DataCategory } from "./vocabulary.js";

/**
 * The audit chain, exactly as the contract specifies, so anyone can verify an export with
 * nothing but the contract: per shard, `seq` runs 1, 2, 3... with no gap; `hash` is the SHA-256
 * of the RFC 8785 canonical JSON of the event without `hash`; `prevHash` links to the event
 * before it in the same shard (64 zeros for the first).
 */

export const GENESIS_HASH = "0".repeat(64);

export interface Actor {
  partnerId: string | null;
  sub: string | null;
  clientId: string | null;
}

export interface AuditEvent {
  id: string;
  shard: number;
  seq: number;
  at: string;
  action: AuditAction;
  actor: Actor;
  subjectId: string | null;
  concernId: string | null;
  notificationId: string | null;
  recipientId: string | null;
  agreement: { id: string; version: number } | null;
  purpose: string | null;
  lawfulBasis: string[] | null;
  dataCategories: DataCategory[] | null;
  payloadSha256: string | null;
  reason: string | null;
  target: { kind: string; id: string } | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

/** Every member of an event, in one place: the DynamoDB adapter reads exactly these back. */
export const AUDIT_EVENT_MEMBERS = [
  "id",
  "shard",
  "seq",
  "at",
  "action",
  "actor",
  "subjectId",
  "concernId",
  "notificationId",
  "recipientId",
  "agreement",
  "purpose",
  "lawfulBasis",
  "dataCategories",
  "payloadSha256",
  "reason",
  "target",
  "requestId",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof AuditEvent)[];

/** What a use case says happened; the chain adds its place (shard, seq) and hashes. */
export type AuditDraft = Omit<AuditEvent, "shard" | "seq" | "prevHash" | "hash">;

/** The head of a shard: its last seq and hash (seq 0 and the genesis hash when empty). */
export interface ShardHead {
  shard: number;
  seq: number;
  hash: string;
}

/** RFC 8785 canonical JSON (the generic canonicaliser; events have a faster one in jcs.ts). */
export { canonicalJson };

export function sha256Hex(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hash of an event: SHA-256 of its canonical JSON without the `hash` member. */
export function hashEvent(event: Omit<AuditEvent, "hash"> | AuditEvent): string {
  return sha256Hex(canonicalEvent(event));
}

/** The digest recorded in an event for what a recipient is shown. */
export function payloadDigest(payload: unknown): string {
  return sha256Hex(canonicalJson(payload));
}

/** Place drafts after a shard's head, in order, each linked to the one before. */
export function chain(drafts: readonly AuditDraft[], head: ShardHead): AuditEvent[] {
  let prev = head;
  return drafts.map((draft) => {
    const unhashed = { ...draft, shard: head.shard, seq: prev.seq + 1, prevHash: prev.hash };
    const event: AuditEvent = { ...unhashed, hash: hashEvent(unhashed) };
    prev = { shard: head.shard, seq: event.seq, hash: event.hash };
    return event;
  });
}

export type ProblemKind =
  | "checkpoint_signature_invalid"
  | "checkpoint_chain_broken"
  | "checkpoint_regressed"
  | "checkpoint_mismatch"
  | "hash_mismatch"
  | "prev_hash_mismatch"
  | "gap"
  | "out_of_order"
  | "duplicate_seq"
  | "wrong_shard"
  | "missing_events";

export interface ChainProblem {
  shard: number;
  seq: number;
  problem: ProblemKind;
  detail: string;
  /** For problems found in a checkpoint: its number (1 for the first). */
  checkpoint?: number;
}

/**
 * Check one shard's events one at a time, in the order they were read, from the start of the
 * shard or from a trusted event (the head of a verified checkpoint) onwards. It keeps only
 * the last link, so a trail of any length is checked in constant memory. Reports every problem rather
 * than stopping at the first, so an auditor sees the extent of any damage.
 */
export class ShardChecker {
  private expectedSeq: number;
  private prevHash: string;
  /** The highest seq seen (or trusted), so a checkpoint can tell a cut-off end. */
  lastSeq: number;

  constructor(
    readonly shard: number,
    trusted: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
  ) {
    this.expectedSeq = trusted.seq + 1;
    this.prevHash = trusted.hash;
    this.lastSeq = trusted.seq;
  }

  /** Check the next event read from this shard; problems are appended to `problems`. */
  check(event: AuditEvent, problems: ChainProblem[]): void {
    const shard = this.shard;
    if (event.shard !== shard) {
      problems.push({
        shard,
        seq: event.seq,
        problem: "wrong_shard",
        detail: `event names shard ${event.shard}`,
      });
    }
    if (event.seq < this.expectedSeq) {
      problems.push({
        shard,
        seq: event.seq,
        problem: event.seq === this.expectedSeq - 1 ? "duplicate_seq" : "out_of_order",
        detail: `seq ${event.seq} after seq ${this.expectedSeq - 1}`,
      });
    } else if (event.seq > this.expectedSeq) {
      problems.push({
        shard,
        seq: this.expectedSeq,
        problem: "gap",
        detail: `seq ${this.expectedSeq} to ${event.seq - 1} missing`,
      });
    }
    if (hashEvent(event) !== event.hash) {
      problems.push({
        shard,
        seq: event.seq,
        problem: "hash_mismatch",
        detail: "event content does not match its hash",
      });
    }
    if (event.prevHash !== this.prevHash) {
      problems.push({
        shard,
        seq: event.seq,
        problem: "prev_hash_mismatch",
        detail: "prevHash does not match the hash of the event before it",
      });
    }
    this.expectedSeq = Math.max(this.expectedSeq, event.seq + 1);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    this.prevHash = event.hash;
  }
}

export function verifyShard(
  shard: number,
  events: Iterable<AuditEvent>,
  trusted: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const checker = new ShardChecker(shard, trusted);
  for (const event of events) checker.check(event, problems);
  return problems;
}
