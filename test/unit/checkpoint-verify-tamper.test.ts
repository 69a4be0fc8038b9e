import { exportJWK, generateKeyPair, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { LocalCheckpointSigner } from "../../shared/adapters/signing/local-signer.js";
import {
  type AuditEvent,
  type ChainProblem,
  chain,
  hashEvent,
  type ShardHead,
} from "../../shared/domain/audit.js";
import { checkpointPayload } from "../../shared/domain/checkpoint.js";
import { type VerifyInput, verifyAudit } from "../../shared/domain/verify.js";
import { fixedDraft, fixedShard, headAt, itemAt } from "../support/audit-trail.js";

/**
 * verifyAudit on an in-memory trail: shard 0 holds 6 events and shard 1 holds 5, signed by three
 * checkpoints (heads 2/2, 4/3, 6/5). Each test tampers with one thing and expects the verifier
 * to name it: the problem, the shard and the seq (or the checkpoint's number).
 */

const SHARD0 = fixedShard(0, 6);
const SHARD1 = fixedShard(1, 5);
const CHECKPOINT_HEADS: ShardHead[][] = [
  [headAt(SHARD0, 2), headAt(SHARD1, 2)],
  [headAt(SHARD0, 4), headAt(SHARD1, 3)],
  [headAt(SHARD0, 6), headAt(SHARD1, 5)],
];
const at = (n: number) => `2026-11-24T00:0${n}:00.000Z`;

async function privateJwk(kid: string): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

/** Sign a chain of checkpoints, each linked to the one before (or to `previous`). */
async function signChain(
  signer: LocalCheckpointSigner,
  heads: readonly ShardHead[][],
  previous: string | null = null,
): Promise<string[]> {
  const signed: string[] = [];
  for (const [i, h] of heads.entries()) {
    signed.push(await signer.sign(checkpointPayload(at(i + 1), h, signed.at(-1) ?? previous)));
  }
  return signed;
}

/** The problems as [shard, seq, problem, checkpoint] rows, easy to compare. */
const rows = (problems: readonly ChainProblem[]) =>
  problems.map((p) => [p.shard, p.seq, p.problem, p.checkpoint ?? null]);

const events = () => [...SHARD0, ...SHARD1];
const replaceAt = (list: AuditEvent[], shard: number, seq: number, event: AuditEvent) =>
  list.map((e) => (e.shard === shard && e.seq === seq ? event : e));
const without = (list: AuditEvent[], shard: number, seqs: number[]) =>
  list.filter((e) => !(e.shard === shard && seqs.includes(e.seq)));

describe("verifyAudit over a two-shard trail with three checkpoints", () => {
  let keys: { keys: JWK[] };
  let checkpoints: string[];
  let attacker: LocalCheckpointSigner;
  const verify = (input: Partial<VerifyInput>) =>
    verifyAudit({ events: events(), checkpoints, keys, shards: 2, ...input });

  beforeAll(async () => {
    const signer = new LocalCheckpointSigner(await privateJwk("audit-2026"));
    keys = (await signer.publicKeys()) as { keys: JWK[] };
    checkpoints = await signChain(signer, CHECKPOINT_HEADS);
    // The attacker's key claims the hub's kid, so only the signature can give it away.
    attacker = new LocalCheckpointSigner(await privateJwk("audit-2026"));
  });

  it("finds the intact trail valid", async () => {
    // Prepare
    const input = { events: events() };

    // Act
    const result = await verify(input);

    // Assess
    expect(result).toEqual({ valid: true, eventsChecked: 11, checkpointsChecked: 3, problems: [] });
  });

  it("finds a changed event: hash_mismatch at its shard and seq", async () => {
    // Prepare
    const tampered = replaceAt(events(), 0, 3, { ...itemAt(SHARD0, 2), recipientId: "essex-health" });

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[0, 3, "hash_mismatch", null]]);
  });

  it("finds a deleted middle event: a gap at its seq", async () => {
    // Prepare
    const tampered = without(events(), 0, [3]);

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [0, 3, "gap", null],
      [0, 4, "prev_hash_mismatch", null],
    ]);
  });

  it("finds an inserted event, even one correctly hashed and linked to the event before it", async () => {
    // Prepare: a forged seq 3 goes in after seq 2 and the real seq 3 follows it.
    const [forged] = chain([fixedDraft(900, { reason: "forged" })], headAt(SHARD1, 2));
    if (!forged) throw new Error("no forged event");
    const tampered = events().flatMap((e) => (e.shard === 1 && e.seq === 3 ? [forged, e] : [e]));

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      // The forged event is not the one checkpoint 2 signed at seq 3.
      [1, 3, "checkpoint_mismatch", 2],
      [1, 3, "duplicate_seq", null],
      [1, 3, "prev_hash_mismatch", null],
    ]);
  });

  it("finds an inserted event when the events after it were renumbered to make room", async () => {
    // Prepare
    const [forged] = chain([fixedDraft(901)], headAt(SHARD1, 2));
    if (!forged) throw new Error("no forged event");
    const shifted = SHARD1.filter((e) => e.seq >= 3).map((e) => ({ ...e, seq: e.seq + 1 }));
    const tampered = [...SHARD0, ...SHARD1.slice(0, 2), forged, ...shifted];

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual(
      expect.arrayContaining([
        [1, 4, "hash_mismatch", null],
        [1, 4, "prev_hash_mismatch", null],
        [1, 3, "checkpoint_mismatch", 2],
        [1, 5, "checkpoint_mismatch", 3],
      ]),
    );
  });

  it("finds two reordered events", async () => {
    // Prepare
    const second = itemAt(SHARD1, 1);
    const third = itemAt(SHARD1, 2);
    const tampered = events().map((e) => (e === second ? third : e === third ? second : e));

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual(
      expect.arrayContaining([
        [1, 2, "gap", null],
        [1, 2, "out_of_order", null],
      ]),
    );
    expect(result.problems.every((p) => p.shard === 1)).toBe(true);
  });

  it("finds a fork: a different, correctly chained history from a checkpointed seq on", async () => {
    // Prepare: shard 1 rewritten from seq 3 with valid hashes and links throughout.
    const fork = chain([fixedDraft(910), fixedDraft(911), fixedDraft(912)], headAt(SHARD1, 2));
    const tampered = [...SHARD0, ...SHARD1.slice(0, 2), ...fork];

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [1, 3, "checkpoint_mismatch", 2],
      [1, 5, "checkpoint_mismatch", 3],
    ]);
  });

  it("finds a forged checkpoint signed by another key under the same kid", async () => {
    // Prepare
    const forged = await attacker.sign(
      checkpointPayload(at(3), itemAt(CHECKPOINT_HEADS, 2), checkpoints[1] ?? null),
    );
    const tampered = [itemAt(checkpoints, 0), itemAt(checkpoints, 1), forged];

    // Act
    const result = await verify({ checkpoints: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[-1, 0, "checkpoint_signature_invalid", 3]]);
  });

  it("finds checkpoints re-signed by another key with heads altered to cover a rewritten history", async () => {
    // Prepare: shard 1 forked from seq 3 and checkpoints 2 and 3 re-signed over the fork's heads,
    // correctly linked to each other, so only the signatures can tell.
    const fork = chain([fixedDraft(920), fixedDraft(921), fixedDraft(922)], headAt(SHARD1, 2));
    const heads = [
      [headAt(SHARD0, 4), headAt(fork, 3)],
      [headAt(SHARD0, 6), headAt(fork, 5)],
    ];
    const resigned = await signChain(attacker, heads, itemAt(checkpoints, 0));

    // Act
    const result = await verify({
      events: [...SHARD0, ...SHARD1.slice(0, 2), ...fork],
      checkpoints: [itemAt(checkpoints, 0), ...resigned],
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [-1, 0, "checkpoint_signature_invalid", 2],
      [-1, 0, "checkpoint_signature_invalid", 3],
    ]);
  });

  it("finds a broken checkpoint chain when a middle checkpoint is dropped", async () => {
    // Prepare
    const tampered = [itemAt(checkpoints, 0), itemAt(checkpoints, 2)];

    // Act
    const result = await verify({ checkpoints: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[-1, 0, "checkpoint_chain_broken", 2]]);
  });

  it("finds events missing from the end of a shard that a checkpoint covered", async () => {
    // Prepare
    const tampered = without(events(), 0, [5, 6]);

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[0, 5, "missing_events", null]]);
  });

  it("finds a whole checkpointed shard missing", async () => {
    // Prepare
    const tampered = [...SHARD0];

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[1, 1, "missing_events", null]]);
  });
});

describe("verifyAudit incrementally from a trusted checkpoint", () => {
  let keys: { keys: JWK[] };
  let checkpoints: string[];
  /** Checkpoint 2 is trusted: only events after its heads (shard 0 > 4, shard 1 > 3) are read. */
  const eventsAfterTrusted = () => [...SHARD0.filter((e) => e.seq > 4), ...SHARD1.filter((e) => e.seq > 3)];
  const verify = (input: Partial<VerifyInput>) =>
    verifyAudit({
      events: eventsAfterTrusted(),
      checkpoints: checkpoints.slice(1),
      keys,
      shards: 2,
      incremental: true,
      ...input,
    });

  beforeAll(async () => {
    const signer = new LocalCheckpointSigner(await privateJwk("audit-2026"));
    keys = (await signer.publicKeys()) as { keys: JWK[] };
    checkpoints = await signChain(signer, CHECKPOINT_HEADS);
  });

  it("finds the events after the trusted heads valid", async () => {
    // Prepare
    const input = { events: eventsAfterTrusted() };

    // Act
    const result = await verify(input);

    // Assess
    expect(result).toEqual({ valid: true, eventsChecked: 4, checkpointsChecked: 2, problems: [] });
  });

  it("still finds a change after the trusted head", async () => {
    // Prepare
    const fifth = itemAt(SHARD0, 4);
    const tampered = eventsAfterTrusted().map((e) =>
      e === fifth ? { ...fifth, dataCategories: ["identity" as const] } : e,
    );

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[0, 5, "hash_mismatch", null]]);
  });

  it("still finds a rewritten event after the trusted head whose hash was recomputed", async () => {
    // Prepare: shard 1 seq 4 rewritten and rehashed; the checkpoint 3 head at seq 5 no longer links.
    const fourth = itemAt(SHARD1, 3);
    const { hash: _old, ...rest } = { ...fourth, reason: "rewritten" };
    const rewritten = { ...rest, hash: hashEvent(rest) };
    const tampered = eventsAfterTrusted().map((e) => (e === fourth ? rewritten : e));

    // Act
    const result = await verify({ events: tampered });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[1, 5, "prev_hash_mismatch", null]]);
  });

  it("does not trust a first checkpoint whose signature fails", async () => {
    // Prepare
    const attacker = new LocalCheckpointSigner(await privateJwk("audit-2026"));
    const forged = await attacker.sign(
      checkpointPayload(at(2), itemAt(CHECKPOINT_HEADS, 1), checkpoints[0] ?? null),
    );

    // Act
    const result = await verify({ checkpoints: [forged, itemAt(checkpoints, 2)] });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toContainEqual([-1, 0, "checkpoint_signature_invalid", 1]);
  });
});
