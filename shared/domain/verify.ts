import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import {
  type AuditEvent,
  type ChainProblem,
  GENESIS_HASH,
  type ShardHead,
  sha256Hex,
  verifyShard,
} from "./audit.js";
import type { CheckpointPayload } from "./checkpoint.js";

/**
 * One verifier, used by `GET /v1/audit/verify` and the offline `npm run audit:verify`: every
 * event's hash and link, every checkpoint's signature and link, and every checkpointed head
 * present and unchanged, so a changed, removed, inserted or reordered event, a gap, a fork,
 * a forged or re-signed checkpoint, and events cut from the end of a shard are all found.
 */
export interface VerifyInput {
  /** Events of each shard in the order read; from seq 1, or after `from`'s head when given. */
  events: Iterable<AuditEvent>;
  /** Compact JWS checkpoints, oldest first (from the trusted one when `from` is given). */
  checkpoints: readonly string[];
  keys: JSONWebKeySet;
  /** Shards the trail is configured with, so an entirely missing shard is noticed too. */
  shards?: number;
  /**
   * Incremental verification: the first checkpoint given is trusted once its signature
   * verifies, and each shard is checked from its head onwards.
   */
  incremental?: boolean;
}

export interface VerifyResult {
  valid: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  problems: ChainProblem[];
}

async function readCheckpoints(
  checkpoints: readonly string[],
  keys: JSONWebKeySet,
  incremental: boolean,
  problems: ChainProblem[],
): Promise<(CheckpointPayload | null)[]> {
  const keySet = createLocalJWKSet(keys);
  const payloads: (CheckpointPayload | null)[] = [];
  for (const [i, jws] of checkpoints.entries()) {
    const number = i + 1;
    try {
      const { payload } = await compactVerify(jws, keySet, { algorithms: ["ES256"] });
      payloads.push(JSON.parse(new TextDecoder().decode(payload)) as CheckpointPayload);
    } catch {
      problems.push({
        shard: -1,
        seq: 0,
        checkpoint: number,
        problem: "checkpoint_signature_invalid",
        detail: "the signature does not verify with any published key",
      });
      payloads.push(null);
      continue;
    }
    const previous = i === 0 ? null : checkpoints[i - 1];
    if (i === 0 && incremental) continue;
    const expected = previous === null || previous === undefined ? GENESIS_HASH : sha256Hex(previous);
    if (payloads[i]?.prevCheckpointSha256 !== expected) {
      problems.push({
        shard: -1,
        seq: 0,
        checkpoint: number,
        problem: "checkpoint_chain_broken",
        detail: "prevCheckpointSha256 does not match the checkpoint before it",
      });
    }
  }
  return payloads;
}

function checkHead(
  head: ShardHead,
  checkpoint: number,
  byShard: Map<number, Map<number, AuditEvent>>,
  highest: Map<number, number>,
  problems: ChainProblem[],
): void {
  const before = highest.get(head.shard) ?? 0;
  if (head.seq < before) {
    problems.push({
      shard: head.shard,
      seq: head.seq,
      checkpoint,
      problem: "checkpoint_regressed",
      detail: "a shard's head went backwards",
    });
  }
  highest.set(head.shard, Math.max(before, head.seq));
  // An absent event inside the shard is already a gap; one past its end is reported below.
  const event = byShard.get(head.shard)?.get(head.seq);
  if (event && event.hash !== head.hash) {
    problems.push({
      shard: head.shard,
      seq: head.seq,
      checkpoint,
      problem: "checkpoint_mismatch",
      detail: "the event differs from the one the checkpoint signed (rewritten history or a fork)",
    });
  }
}

function checkHeads(
  payloads: readonly (CheckpointPayload | null)[],
  byShard: Map<number, Map<number, AuditEvent>>,
  lastSeq: Map<number, number>,
  problems: ChainProblem[],
): void {
  const highest = new Map<number, number>();
  payloads.forEach((payload, i) => {
    for (const head of payload?.heads ?? []) checkHead(head, i + 1, byShard, highest, problems);
  });
  for (const [shard, seq] of highest) {
    const last = lastSeq.get(shard) ?? 0;
    if (last < seq) {
      problems.push({
        shard,
        seq: last + 1,
        problem: "missing_events",
        detail: `events ${last + 1} to ${seq} were checkpointed but are missing from the end of the shard`,
      });
    }
  }
}

export async function verifyAudit(input: VerifyInput): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  const payloads = await readCheckpoints(input.checkpoints, input.keys, input.incremental ?? false, problems);
  const trustedHeads = new Map<number, ShardHead>();
  if (input.incremental && payloads[0]) for (const h of payloads[0].heads) trustedHeads.set(h.shard, h);

  const grouped = new Map<number, AuditEvent[]>();
  let eventsChecked = 0;
  for (const event of input.events) {
    eventsChecked += 1;
    const list = grouped.get(event.shard);
    if (list) list.push(event);
    else grouped.set(event.shard, [event]);
  }
  const byShard = new Map<number, Map<number, AuditEvent>>();
  const lastSeq = new Map<number, number>();
  const shards = new Set([...grouped.keys(), ...Array.from({ length: input.shards ?? 0 }, (_, i) => i)]);
  for (const shard of shards) {
    const events = grouped.get(shard) ?? [];
    const trusted = trustedHeads.get(shard);
    problems.push(
      ...verifyShard(shard, events, trusted ? { seq: trusted.seq, hash: trusted.hash } : undefined),
    );
    byShard.set(shard, new Map(events.map((e) => [e.seq, e])));
    // A loop, not Math.max(...events): a shard can hold more events than a call has arguments.
    lastSeq.set(
      shard,
      events.reduce((max, e) => Math.max(max, e.seq), trusted?.seq ?? 0),
    );
  }
  checkHeads(payloads, byShard, lastSeq, problems);
  return {
    valid: problems.length === 0,
    eventsChecked,
    checkpointsChecked: input.checkpoints.length,
    problems,
  };
}
