import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import {
  type AuditEvent,
  type ChainProblem,
  GENESIS_HASH,
  ShardChecker,
  type ShardHead,
  sha256Hex,
} from "./audit.js";
import type { CheckpointPayload } from "./checkpoint.js";

/**
 * One verifier, used by `GET /v1/audit/verify` and the offline `npm run audit:verify`: every
 * event's hash and link, every checkpoint's signature and link, and every checkpointed head
 * present and unchanged, so a changed, removed, inserted or reordered event, a gap, a fork,
 * a forged or re-signed checkpoint, and events cut from the end of a shard are all found.
 */
export interface VerifyInput {
  /** Events of each shard in the order read; from seq 1, or after the trusted head when incremental. */
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>;
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

/** Every signed head: (shard, seq) → hash, and the highest seq signed per shard. */
function signedHeads(payloads: readonly (CheckpointPayload | null)[], problems: ChainProblem[]) {
  // Several checkpoints may sign the same head when a shard was quiet between them.
  // Keyed by shard, then seq: looked up for every event, so no key string is built per event.
  const hashes = new Map<number, Map<number, { hash: string; checkpoint: number }[]>>();
  const highest = new Map<number, number>();
  payloads.forEach((payload, i) => {
    for (const head of payload?.heads ?? []) {
      const before = highest.get(head.shard) ?? 0;
      if (head.seq < before) {
        problems.push({
          shard: head.shard,
          seq: head.seq,
          checkpoint: i + 1,
          problem: "checkpoint_regressed",
          detail: "a shard's head went backwards",
        });
      }
      highest.set(head.shard, Math.max(before, head.seq));
      if (head.seq > 0) {
        const shard = hashes.get(head.shard) ?? new Map();
        hashes.set(head.shard, shard);
        shard.set(head.seq, [...(shard.get(head.seq) ?? []), { hash: head.hash, checkpoint: i + 1 }]);
      }
    }
  });
  return { hashes, highest };
}

/**
 * Verify a trail read as a stream: events in shard order as the export and the store give
 * them. Memory holds one running link per shard and the signed heads, never the events.
 */
export async function verifyAudit(input: VerifyInput): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  const incremental = input.incremental ?? false;
  const payloads = await readCheckpoints(input.checkpoints, input.keys, incremental, problems);
  const { hashes, highest } = signedHeads(payloads, problems);
  const trusted = new Map<number, ShardHead>();
  if (incremental && payloads[0]) for (const h of payloads[0].heads) trusted.set(h.shard, h);

  const checkers = new Map<number, ShardChecker>();
  const checker = (shard: number) => {
    let found = checkers.get(shard);
    if (!found) {
      const head = trusted.get(shard);
      found = new ShardChecker(shard, head ? { seq: head.seq, hash: head.hash } : undefined);
      checkers.set(shard, found);
    }
    return found;
  };
  for (let shard = 0; shard < (input.shards ?? 0); shard++) checker(shard);
  let eventsChecked = 0;
  for await (const event of input.events) {
    eventsChecked += 1;
    checker(event.shard).check(event, problems);
    for (const signed of hashes.get(event.shard)?.get(event.seq) ?? []) {
      if (signed.hash === event.hash) continue;
      problems.push({
        shard: event.shard,
        seq: event.seq,
        checkpoint: signed.checkpoint,
        problem: "checkpoint_mismatch",
        detail: "the event differs from the one the checkpoint signed (rewritten history or a fork)",
      });
    }
  }
  for (const [shard, seq] of highest) {
    const last = checker(shard).lastSeq;
    if (last < seq) {
      problems.push({
        shard,
        seq: last + 1,
        problem: "missing_events",
        detail: `events ${last + 1} to ${seq} were checkpointed but are missing from the end of the shard`,
      });
    }
  }
  return {
    valid: problems.length === 0,
    eventsChecked,
    checkpointsChecked: input.checkpoints.length,
    problems,
  };
}
