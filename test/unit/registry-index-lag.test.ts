import {
  BatchGetCommand,
  type BatchGetCommandInput,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { DynamoSubjectLinks } from "../../shared/adapters/dynamodb/subject-links.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { Agreement, Partner } from "../../shared/domain/registry.js";
import { amyConcern, submittingPolice } from "../support/fixtures.js";
import { mockedDynamo } from "../support/mocked-dynamodb.js";

/**
 * An index that lags a registry change by longer than the snapshot's settle time: the registry
 * index (gsi1) still answers an entry as it was before the change, long after it. DynamoDB
 * Local never lags, so the index is played by aws-sdk-client-mock: its Query answers the old
 * entries, the table's by-key reads the truth. The snapshot, and so every submission decided
 * on it, must hold the truth: a suspended agreement never discloses, a partner moved to
 * another area is not routed to under its old one.
 */

const { doc, ddb, tables, commit } = mockedDynamo(3);
const caller = submittingPolice("pc-1234", "req-lag");

/** The St Mary's agreement after IG suspended it: the table's truth, which the index does not show. */
function suspended(agreement: Agreement): Agreement {
  const [first, ...rest] = agreement.versions;
  if (!first) throw new Error("agreement without a version");
  return {
    ...agreement,
    versions: [{ ...first, status: "suspended", statusChangedAt: "2026-11-01T00:00:00.000Z" }, ...rest],
  };
}

const table = new Map<string, Record<string, unknown>>();
const index = new Map<string, Record<string, unknown>>();
const key = (pk: unknown, sk: unknown) => `${String(pk)}|${String(sk)}`;
function entry(pk: string, sk: string, kind: string, id: string, truth: unknown, asIndexed: unknown) {
  table.set(key(pk, sk), { pk, sk, data: truth, revision: 2 });
  index.set(key(pk, sk), { pk, sk, gsi1pk: kind, gsi1sk: id, data: asIndexed, revision: 1 });
}
for (const a of DEMO_AGREEMENTS) {
  const truth = a.id === "encompass-st-marys" ? suspended(a) : a;
  entry(`AGREEMENT#${a.id}`, "AGREEMENT", "AGREEMENTS", a.id, truth, a);
}
for (const p of DEMO_PARTNERS) {
  // The Essex MASH now covers Southend only; the index still shows it covering Essex.
  const truth: Partner = p.id === "essex-mash" ? { ...p, areas: ["southend"] } : p;
  entry(`PARTNER#${p.id}`, "PARTNER", "PARTNERS", p.id, truth, p);
}
table.set(key("ROUTING", "RULES"), { data: { rules: DEMO_RULES }, revision: 1 });
// The last change was an hour ago: long past the settle time, so the snapshot would be kept.
const changedAt = Date.now() - 3_600_000;
for (let copy = 0; copy < 16; copy++)
  table.set(key(`REGISTRY_EPOCH#${copy}`, "EPOCH"), { epoch: 7, changedAt });

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).callsFake(async (input: GetCommandInput) => ({
    Item: table.get(key(input.Key?.pk, input.Key?.sk)),
  }));
  ddb.on(QueryCommand).callsFake(async (input: QueryCommandInput) => {
    if (input.TableName === tables.audit) return { Items: [] };
    const kind = input.ExpressionAttributeValues?.[":kind"];
    return { Items: [...index.values()].filter((item) => item.gsi1pk === kind) };
  });
  ddb.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => {
    const wanted = input.RequestItems?.[tables.data];
    expect(wanted?.ConsistentRead).toBe(true);
    const items = (wanted?.Keys ?? []).flatMap((k) => table.get(key(k.pk, k.sk)) ?? []);
    return { Responses: { [tables.data]: items } };
  });
  ddb.on(TransactWriteCommand).resolves({});
});

describe("a registry index lagging past the settle time", () => {
  it("gives a snapshot holding each entry as the table has it, not as the index shows it", async () => {
    // Act
    const snapshot = await new DynamoRegistryStore(doc, tables, commit).decisionSnapshot();

    // Assess
    const stMarys = snapshot.agreements.find((a) => a.id === "encompass-st-marys");
    expect(stMarys?.versions[0]?.status).toBe("suspended");
    expect(snapshot.partners.find((p) => p.id === "essex-mash")?.areas).toEqual(["southend"]);
    expect(snapshot.agreements.map((a) => a.id).sort()).toEqual([...DEMO_AGREEMENTS.map((a) => a.id)].sort());
  });

  it("decides a submission on the table's truth: nothing disclosed under the suspended agreement", async () => {
    // Act
    let n = 0;
    const response = await submitConcern(
      {
        clock: { now: () => new Date("2026-11-23T10:00:00Z") },
        ids: { next: (prefix: "con" | "ntf" | "evt") => `${prefix}_${++n}` },
        registry: new DynamoRegistryStore(doc, tables, commit),
        concerns: new DynamoConcernStore(doc, tables, commit),
        subjectKey: Buffer.alloc(32, 3),
        subjects: new DynamoSubjectLinks(doc, tables),
      },
      caller,
      amyConcern(),
      undefined,
    );

    // Assess: the receipt and the one transaction sent agree, and neither discloses to the
    // school (agreement suspended) nor to the Essex MASH (no longer covering Essex).
    const receipt = response.body as {
      notifications: { recipientId: string }[];
      refusals: { recipientId: string; reason: string }[];
    };
    expect(receipt.notifications.map((x) => x.recipientId)).not.toContain("st-marys-primary");
    expect(receipt.notifications.map((x) => x.recipientId)).not.toContain("essex-mash");
    expect(receipt.refusals).toContainEqual({
      recipientId: "st-marys-primary",
      reason: "agreement_not_active",
    });
    const sent = ddb
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input as TransactWriteCommandInput);
    expect(sent).toHaveLength(1);
    const notified = (sent[0]?.TransactItems ?? []).flatMap((item) => {
      const put = item.Put?.Item as { pk?: string; data?: { recipientId?: string } } | undefined;
      return put?.pk?.startsWith("NOTIFICATION#") ? [put.data?.recipientId] : [];
    });
    expect(notified).not.toContain("st-marys-primary");
    expect(notified).not.toContain("essex-mash");
  });

  it("does not keep a snapshot whose listing lacks an entry created long ago, and keeps a complete one", async () => {
    // Prepare: the change an hour ago created one more agreement than the index lists.
    const listed = DEMO_PARTNERS.length + DEMO_AGREEMENTS.length;
    const epochReads = () =>
      ddb
        .commandCalls(GetCommand)
        .filter((c) => String(c.args[0].input.Key?.pk).startsWith("REGISTRY_EPOCH#")).length;
    const twice = async () => {
      const store = new DynamoRegistryStore(doc, tables, commit);
      await store.decisionSnapshot();
      await store.decisionSnapshot();
    };
    const setEntries = (entries: number) => {
      for (let copy = 0; copy < 16; copy++)
        table.set(key(`REGISTRY_EPOCH#${copy}`, "EPOCH"), { epoch: 7, changedAt, entries });
    };

    try {
      // Act 1
      setEntries(listed + 1);
      await twice();

      // Assess 1: read afresh for the second submission too.
      expect(epochReads()).toBe(2);

      // Act 2
      ddb.resetHistory();
      setEntries(listed);
      await twice();

      // Assess 2: kept, read once.
      expect(epochReads()).toBe(1);
    } finally {
      setEntries(0);
    }
  });

  it("applies one change by its keys only to a kept snapshot: one not kept may lack a listed entry", async () => {
    // Prepare: the epoch as a change recording St Mary's agreement's key left it.
    const listed = DEMO_PARTNERS.length + DEMO_AGREEMENTS.length;
    const changed = [{ pk: "AGREEMENT#encompass-st-marys", sk: "AGREEMENT" }];
    const setEpoch = (epoch: number, entries: number) => {
      for (let copy = 0; copy < 16; copy++)
        table.set(key(`REGISTRY_EPOCH#${copy}`, "EPOCH"), {
          epoch,
          changedAt,
          entries,
          ...(epoch === 8 ? { lastChange: changed, lastChangeEpoch: 8 } : {}),
        });
    };
    const afterOneChange = async (entries: number) => {
      setEpoch(7, entries);
      const store = new DynamoRegistryStore(doc, tables, commit);
      await store.decisionSnapshot();
      setEpoch(8, entries);
      ddb.resetHistory();
      await store.decisionSnapshot(7);
      return {
        queries: ddb.commandCalls(QueryCommand).length,
        keys: ddb
          .commandCalls(BatchGetCommand)
          .flatMap((c) => c.args[0].input.RequestItems?.[tables.data]?.Keys ?? []),
      };
    };

    try {
      // Act / Assess: kept, so only the change's key is read again.
      expect(await afterOneChange(listed)).toEqual({ queries: 0, keys: changed });
      // Not kept (the index listed fewer than were created): the whole registry again.
      const unkept = await afterOneChange(listed + 1);
      expect(unkept.queries).toBe(2);
      expect(unkept.keys).toHaveLength(listed);
    } finally {
      setEpoch(7, 0);
    }
  });
});
