import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import { type CommitOptions, commitWithAudit } from "../../shared/adapters/dynamodb/commit.js";
import { ShardWriters } from "../../shared/adapters/dynamodb/shard-writers.js";
import { auditDraft } from "../../shared/app/context.js";
import type { AuditDraft } from "../../shared/domain/audit.js";

/** One writer per shard in a process: no race among its own writers, no head read while it owns the head. */
const doc = documentClient("http://127.0.0.1:1", {});
const ddb = mockClient(DynamoDBDocumentClient);
const tables = { data: "data", audit: "audit" };
const write = { Put: { TableName: "data", Item: { pk: "CONCERN#1", sk: "CONCERN" } } };
const draft = (id: string): AuditDraft =>
  auditDraft({
    id,
    at: "2026-11-23T16:20:02.123Z",
    action: "audit_exported",
    actor: { partnerId: "essex-police", sub: "ig-1", clientId: "essex-police-ig" },
  });
const options = (shards: number): CommitOptions => ({
  shards,
  maxAttempts: 5,
  baseDelayMs: 1,
  maxDelayMs: 2,
  sleep: async () => {},
  writers: new ShardWriters(),
});
const seqsSent = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .map((c) => Number(c.args[0].input.TransactItems?.at(-1)?.Put?.Item?.seq));

describe("shard writers", () => {
  beforeEach(() => {
    // Prepare: shard 0 has 7 events; a transaction takes a few milliseconds.
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [{ seq: 7, hash: "a".repeat(64) }] });
    ddb.on(TransactWriteCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({}), 5)));
  });

  it("queues concurrent writers on one shard: each chains on the last, the head read once", async () => {
    const opts = options(1);

    const results = await Promise.all(
      ["evt_1", "evt_2", "evt_3"].map((id) => commitWithAudit(doc, tables, [write], [draft(id)], opts)),
    );

    expect(results.map((events) => events[0]?.seq).sort((a = 0, b = 0) => a - b)).toEqual([8, 9, 10]);
    expect(seqsSent().sort((a, b) => a - b)).toEqual([8, 9, 10]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it("spreads concurrent writers over the shards, the least busy first", async () => {
    const opts = options(4);

    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => commitWithAudit(doc, tables, [write], [draft(`evt_${i}`)], opts)),
    );

    expect(new Set(results.map((events) => events[0]?.shard))).toEqual(new Set([0, 1, 2, 3]));
  });

  it("forgets the head when a writer elsewhere took the seq, and reads it again", async () => {
    const opts = options(1);
    await commitWithAudit(doc, tables, [write], [draft("evt_1")], opts);
    ddb.reset();
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: "Transaction cancelled",
          $metadata: {},
          CancellationReasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed" }],
        }),
      )
      .resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ seq: 20, hash: "b".repeat(64) }] });

    const events = await commitWithAudit(doc, tables, [write], [draft("evt_2")], opts);

    // Assess: 8 was ours, so 9 was sent without a read; refused (taken elsewhere), then the
    // head (20) read afresh.
    expect(seqsSent()).toEqual([9, 21]);
    expect(events[0]?.prevHash).toBe("b".repeat(64));
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
