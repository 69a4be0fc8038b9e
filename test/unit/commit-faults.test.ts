import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import {
  commitWithAudit,
  DEFAULT_COMMIT_OPTIONS,
  TransactionRefused,
  WriteConditionFailed,
} from "../../shared/adapters/dynamodb/commit.js";
import { auditDraft } from "../../shared/app/context.js";
import type { AuditDraft } from "../../shared/domain/audit.js";
import { LanternError } from "../../shared/errors.js";
import { busyProblem } from "../../shared/http/problem.js";

/** Faults a real DynamoDB rarely produces on demand, injected with aws-sdk-client-mock. */
const doc = documentClient("http://127.0.0.1:1", {});
const ddb = mockClient(DynamoDBDocumentClient);
const tables = { data: "data", audit: "audit" };
const options = { shards: 1, maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => {} };
const write = { Put: { TableName: "data", Item: { pk: "CONCERN#1", sk: "CONCERN" } } };
const draft: AuditDraft = auditDraft({
  id: "evt_1",
  at: "2026-11-23T16:20:02.123Z",
  action: "audit_exported",
  actor: { partnerId: "essex-police", sub: "ig-1", clientId: "essex-police-ig" },
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("commitWithAudit under faults", () => {
  beforeEach(() => {
    // Prepare: shard 0 has 7 events.
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [{ seq: 7, hash: "a".repeat(64) }] });
  });

  it("re-reads the head and retries when another writer took the seq", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled("None", "ConditionalCheckFailed")).resolves({});

    const events = await commitWithAudit(doc, tables, [write], [draft], options);

    expect(events[0]?.seq).toBe(8);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it("retries throttling and transaction conflicts with a fresh token", async () => {
    const throttled = Object.assign(new Error("slow down"), { name: "ThrottlingException" });
    const conflict = Object.assign(new Error("conflict"), { name: "TransactionConflictException" });
    ddb.on(TransactWriteCommand).rejectsOnce(throttled).rejectsOnce(conflict).resolves({});

    await commitWithAudit(doc, tables, [write], [draft], options);

    const tokens = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(new Set(tokens).size).toBe(3);
  });

  it("resends the same items under the same token when the answer was lost", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    ddb.on(TransactWriteCommand).rejectsOnce(reset).resolves({});

    await commitWithAudit(doc, tables, [write], [draft], options);

    const calls = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(calls[0]);
  });

  it("reports a failed condition on the caller's own write without retrying", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled("ConditionalCheckFailed", "None"));

    await expect(commitWithAudit(doc, tables, [write], [draft], options)).rejects.toBeInstanceOf(
      WriteConditionFailed,
    );
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("gives up with a 503 and Retry-After when the shard stays contended", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled("None", "TransactionConflict"));

    const error = await commitWithAudit(doc, tables, [write], [draft], options).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LanternError);
    expect((error as LanternError).status).toBe(503);
    expect((error as LanternError).extra.headers?.["Retry-After"]).toBe("1");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(5);
  });

  it("does not retry an error it does not understand", async () => {
    ddb.on(TransactWriteCommand).rejects(Object.assign(new Error("bad"), { name: "ValidationException" }));

    await expect(commitWithAudit(doc, tables, [write], [draft], options)).rejects.toThrow("bad");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("stops retrying within its time budget, whatever the attempt count allows", async () => {
    // Prepare: a clock that the sleeps move, and a shard that never settles.
    ddb.on(TransactWriteCommand).rejects(cancelled("None", "TransactionConflict"));
    let now = 0;
    const budgeted = {
      ...DEFAULT_COMMIT_OPTIONS,
      budgetMs: 3_000,
      shards: 1,
      sleep: async (ms: number) => {
        now += ms;
      },
      elapsed: () => now,
    };

    // Act
    const error = await commitWithAudit(doc, tables, [write], [draft], budgeted).catch((e: unknown) => e);

    // Assess: a 503 after less than 3 s of sleeping, long before 40 attempts would have ended.
    expect((error as LanternError).status).toBe(503);
    expect(now).toBeLessThan(3_000);
    expect(ddb.commandCalls(TransactWriteCommand).length).toBeLessThan(DEFAULT_COMMIT_OPTIONS.maxAttempts);
  });

  it("never answers a cancellation retrying cannot help as 503 retry", async () => {
    // Prepare: the store refuses the item itself (too large, say).
    ddb.on(TransactWriteCommand).rejects(cancelled("ValidationError", "None"));

    // Act
    const error = await commitWithAudit(doc, tables, [write], [draft], options).catch((e: unknown) => e);

    // Assess: tried once, named, and not mapped to "busy, try again".
    expect(error).toBeInstanceOf(TransactionRefused);
    expect(busyProblem(error)).toBeNull();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
