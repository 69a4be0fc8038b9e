import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { hexOf, STORED_AS_INDEX_KEY } from "../../shared/adapters/dynamodb/audit-items.js";
import { eventFromItem } from "../../shared/adapters/dynamodb/audit-store.js";
import { CHECKPOINT_SHARD } from "../../shared/adapters/dynamodb/checkpoint-store.js";
import { auditItem } from "../../shared/adapters/dynamodb/commit.js";
import { LocalCheckpointSigner } from "../../shared/adapters/signing/local-signer.js";
import { type CheckpointDeps, verifyTrail, writeCheckpoint } from "../../shared/app/checkpoints.js";
import type { Caller } from "../../shared/app/context.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import {
  type AuditDraft,
  type ChainProblem,
  chain,
  type ShardHead,
  sha256Hex,
} from "../../shared/domain/audit.js";
import type { StoredCheckpoint } from "../../shared/ports.js";
import { fixedDraft, itemAt } from "../support/audit-trail.js";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/**
 * A real trail on DynamoDB Local (the demo registry, submissions, two checkpoints and an
 * unsigned tail), tampered with directly in the audit table, as someone with write access to
 * the table could. Each time the verifier must name the shard and seq, and once the original
 * items are put back exactly as they were read, the trail must verify again.
 */

type Item = Record<string, unknown>;
type Store = Awaited<ReturnType<typeof freshStore>>;

const police = DEMO_PARTNERS.find((p) => p.id === "essex-police");
if (!police) throw new Error("demo registry has no police");
const caller: Caller = {
  partner: police,
  sub: "pc-1234",
  clientId: "essex-police-app",
  scopes: new Set(["concerns:submit"]),
  requestId: "req-tamper",
};
const subjectKey = Buffer.alloc(32, 7);

async function privateJwk(kid: string): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

const rows = (problems: readonly ChainProblem[]) =>
  problems.map((p) => [p.shard, p.seq, p.problem, p.checkpoint ?? null]);

/** Raw access to the audit table, as a tamperer (and the restorer) would have it. */
function auditTable(store: Store) {
  const TableName = store.tables.audit;
  const items = async (shard: number): Promise<Item[]> => {
    const found: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await store.doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "#shard = :shard",
          ExpressionAttributeNames: { "#shard": "shard" },
          ExpressionAttributeValues: { ":shard": shard },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  };
  return {
    items,
    all: async () => [...(await items(CHECKPOINT_SHARD)), ...(await items(0)), ...(await items(1))],
    get: async (shard: number, seq: number): Promise<Item> => {
      const out = await store.doc.send(
        new GetCommand({ TableName, Key: { shard, seq }, ConsistentRead: true }),
      );
      if (!out.Item) throw new Error(`no item at shard ${shard} seq ${seq}`);
      return out.Item;
    },
    put: async (list: readonly Item[]) => {
      for (const Item of list) await store.doc.send(new PutCommand({ TableName, Item }));
    },
    remove: async (shard: number, seqs: readonly number[]) => {
      for (const seq of seqs) await store.doc.send(new DeleteCommand({ TableName, Key: { shard, seq } }));
    },
    update: (shard: number, seq: number, attribute: string, value: unknown) =>
      store.doc.send(
        new UpdateCommand({
          TableName,
          Key: { shard, seq },
          UpdateExpression: "SET #a = :v",
          ExpressionAttributeNames: { "#a": attribute },
          ExpressionAttributeValues: { ":v": value },
        }),
      ),
  };
}

const headOf = (checkpoint: StoredCheckpoint, shard: number): ShardHead => {
  const head = checkpoint.payload.heads.find((h) => h.shard === shard);
  if (!head) throw new Error(`checkpoint ${checkpoint.number} has no head for shard ${shard}`);
  return head;
};

describe("tampering with the audit trail on DynamoDB Local", () => {
  let store: Store;
  let deps: CheckpointDeps;
  let table: ReturnType<typeof auditTable>;
  let first: StoredCheckpoint;
  let second: StoredCheckpoint;
  let pristine: Item[];
  let totalEvents: number;

  const submit = () => submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);
  const shardSizes = async () => [(await table.items(0)).length, (await table.items(1)).length];

  /** Run a tampering, verify, restore exactly what was read, and verify again. */
  async function tamperAndRestore(
    tamper: () => Promise<() => Promise<void>>,
  ): Promise<Awaited<ReturnType<typeof verifyTrail>>> {
    const restore = await tamper();
    let result: Awaited<ReturnType<typeof verifyTrail>>;
    try {
      result = await verifyTrail(deps, undefined);
    } finally {
      await restore();
    }
    expect(await table.all()).toEqual(pristine);
    expect(await verifyTrail(deps, undefined)).toEqual({
      valid: true,
      eventsChecked: totalEvents,
      checkpointsChecked: 2,
      problems: [],
    });
    return result;
  }

  beforeAll(async () => {
    // Prepare: the seeded registry, then submissions until both shards hold at least 4 events.
    store = await freshStore({ shards: 2 });
    table = auditTable(store);
    deps = {
      clock: store.clock,
      audit: store.audit,
      checkpoints: store.checkpoints,
      signer: new LocalCheckpointSigner(await privateJwk("lantern-audit-1")),
    };
    for (let i = 0; i < 40 && Math.min(...(await shardSizes())) < 4; i++) await submit();
    const cp1 = await writeCheckpoint(deps, true);
    await submit();
    await submit();
    const cp2 = await writeCheckpoint(deps, false);
    if (!cp1 || !cp2) throw new Error("no checkpoint written");
    [first, second] = [cp1, cp2];
    await submit(); // an unsigned tail after the last checkpoint
    pristine = await table.all();
    totalEvents = pristine.filter((i) => (i.shard as number) >= 0).length;
  }, 60_000);

  it("verifies the untouched trail", async () => {
    // Prepare
    const [size0 = 0, size1 = 0] = await shardSizes();

    // Act
    const result = await verifyTrail(deps, undefined);

    // Assess
    expect(Math.min(size0, size1)).toBeGreaterThanOrEqual(4);
    expect(result).toEqual({
      valid: true,
      eventsChecked: size0 + size1,
      checkpointsChecked: 2,
      problems: [],
    });
    expect(second.payload.prevCheckpointSha256).toBe(sha256Hex(first.jws));
  });

  it("names a changed member of an event, and verifies again once it is restored", async () => {
    // Act
    const result = await tamperAndRestore(async () => {
      const original = await table.get(1, 2);
      await table.update(1, 2, STORED_AS_INDEX_KEY.recipientId, "essex-health");
      return () => table.put([original]);
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[1, 2, "hash_mismatch", null]]);
  });

  it("names a deleted middle event as a gap", async () => {
    // Act
    const result = await tamperAndRestore(async () => {
      const original = await table.get(0, 2);
      await table.remove(0, [2]);
      return () => table.put([original]);
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [0, 2, "gap", null],
      [0, 3, "prev_hash_mismatch", null],
    ]);
  });

  it("names the last events of a shard deleted after a checkpoint covered them", async () => {
    // Prepare: from the event before the last checkpoint's head of shard 0 to the end.
    const from = headOf(second, 0).seq - 1;

    // Act
    const result = await tamperAndRestore(async () => {
      const doomed = (await table.items(0)).filter((i) => (i.seq as number) >= from);
      await table.remove(
        0,
        doomed.map((i) => i.seq as number),
      );
      return () => table.put(doomed);
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([[0, from, "missing_events", null]]);
  });

  it("names a forged event inserted in the middle of a shard, the events after it renumbered", async () => {
    // Prepare: a forged seq 3 correctly chained to seq 2; the real seq 3 on move up by one.
    const originals = (await table.items(1)).filter((i) => (i.seq as number) >= 3);
    const [forged] = chain([fixedDraft(7000, { reason: "forged" })], {
      shard: 1,
      seq: 2,
      hash: String(hexOf((await table.get(1, 2)).hash)),
    });
    if (!forged) throw new Error("no forged event");

    // Act
    const result = await tamperAndRestore(async () => {
      await table.put([...originals].reverse().map((i) => ({ ...i, seq: (i.seq as number) + 1 })));
      await table.put([auditItem(forged)]);
      return async () => {
        await table.remove(1, [(itemAt(originals, originals.length - 1).seq as number) + 1]);
        await table.put(originals);
      };
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual(
      expect.arrayContaining([
        [1, 4, "hash_mismatch", null],
        [1, 4, "prev_hash_mismatch", null],
        [1, headOf(second, 1).seq, "checkpoint_mismatch", 2],
      ]),
    );
    expect(result.problems.every((p) => p.shard === 1)).toBe(true);
  });

  it("names a rewritten history whose hashes and links were all recomputed (a fork)", async () => {
    // Prepare: shard 1 from seq 2 on, with one recipient changed, rechained from seq 1.
    const originals = (await table.items(1)).filter((i) => (i.seq as number) >= 2);
    const drafts: AuditDraft[] = originals.map((i, n) => {
      const { shard: _s, seq: _q, prevHash: _p, hash: _h, ...draft } = eventFromItem(i);
      return n === 0 ? { ...draft, recipientId: "essex-health" } : draft;
    });
    const fork = chain(drafts, { shard: 1, seq: 1, hash: String(hexOf((await table.get(1, 1)).hash)) });

    // Act
    const result = await tamperAndRestore(async () => {
      await table.put(fork.map(auditItem));
      return () => table.put(originals);
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [1, headOf(first, 1).seq, "checkpoint_mismatch", 1],
      [1, headOf(second, 1).seq, "checkpoint_mismatch", 2],
    ]);
  });

  it("names a checkpoint whose JWS was replaced by one signed with another key", async () => {
    // Prepare: the same payload, signed by a key that claims the hub's kid.
    const attacker = new LocalCheckpointSigner(await privateJwk("lantern-audit-1"));
    const forged = await attacker.sign(first.payload);

    // Act
    const result = await tamperAndRestore(async () => {
      const original = await table.get(CHECKPOINT_SHARD, 1);
      await table.update(CHECKPOINT_SHARD, 1, "jws", forged);
      return () => table.put([original]);
    });

    // Assess
    expect(result.valid).toBe(false);
    expect(rows(result.problems)).toEqual([
      [-1, 0, "checkpoint_signature_invalid", 1],
      [-1, 0, "checkpoint_chain_broken", 2],
    ]);
  });

  it("verifies incrementally from the last checkpoint and still names a change after its heads", async () => {
    // Prepare: the newest event of either shard lies after checkpoint 2's heads.
    const tail = [0, 1].flatMap((shard) =>
      pristine.filter((i) => i.shard === shard && (i.seq as number) > headOf(second, shard).seq),
    );
    const last = itemAt(tail, tail.length - 1);
    const [shard, seq] = [last.shard as number, last.seq as number];

    // Act
    const intact = await verifyTrail(deps, 2);
    await table.update(shard, seq, "action", "audit_exported");
    const tampered = await verifyTrail(deps, 2).finally(() => table.put([last]));

    // Assess
    expect(intact).toEqual({ valid: true, eventsChecked: tail.length, checkpointsChecked: 1, problems: [] });
    expect(rows(tampered.problems)).toEqual([[shard, seq, "hash_mismatch", null]]);
    expect(await table.all()).toEqual(pristine);
  });
});
