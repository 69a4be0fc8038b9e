import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { auditDraft, type Caller } from "../../shared/app/context.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import { verifyShard } from "../../shared/domain/audit.js";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

const police = DEMO_PARTNERS.find((p) => p.id === "essex-police");
if (!police) throw new Error("demo registry has no police");
const caller: Caller = {
  partner: police,
  sub: "pc-1234",
  clientId: "essex-police-app",
  scopes: new Set(["concerns:submit"]),
  requestId: "req-1",
};
const subjectKey = Buffer.alloc(32, 7);

async function countAudit(store: Awaited<ReturnType<typeof freshStore>>, action: string): Promise<number> {
  let n = 0;
  for (let shard = 0; shard < store.audit.shardCount(); shard++) {
    for await (const page of store.audit.readShard(shard))
      n += page.filter((e) => e.action === action).length;
  }
  return n;
}

describe("a submission against DynamoDB Local", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore();
  });

  it("commits the concern, every notification and every audit event together", async () => {
    // Act
    const response = await submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);

    // Assess
    const receipt = response.body as { id: string; notifications: { id: string; recipientId: string }[] };
    expect(response.statusCode).toBe(201);
    expect(receipt.notifications.map((n) => n.recipientId).sort()).toEqual([
      "essex-mash",
      "st-marys-primary",
    ]);
    const concern = await store.doc.send(
      new GetCommand({ TableName: store.tables.data, Key: { pk: `CONCERN#${receipt.id}`, sk: "CONCERN" } }),
    );
    expect(concern.Item).toBeDefined();
    const stored = await store.concerns.getNotifications(receipt.notifications.map((n) => n.id));
    expect(stored).toHaveLength(2);
    const events = await store.audit.query({ concernId: receipt.id }, undefined, 50);
    expect(events.items.map((e) => e.action)).toEqual(["disclosure", "disclosure"]);
    for (const event of events.items) {
      const notification = stored.find((n) => n.id === event.notificationId);
      expect(event.payloadSha256).toBe(notification?.payloadSha256);
      expect(JSON.stringify(event)).not.toContain("Amy");
    }
  });

  it("commits nothing when any part of the transaction fails", async () => {
    // Prepare: the concern id the next submission will take already exists, so its
    // conditional put fails after the notifications and audit events were prepared.
    const first = await submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);
    const takenId = (first.body as { id: string }).id;
    const disclosuresBefore = await countAudit(store, "disclosure");
    let next = 0;
    const ids = {
      next: (prefix: "con" | "ntf" | "evt") => (prefix === "con" ? takenId : `${prefix}_forced_${next++}`),
    };

    // Act
    const attempt = submitConcern({ ...store, ids, subjectKey }, caller, amyConcern(), undefined);

    // Assess
    await expect(attempt).rejects.toThrow();
    expect(await countAudit(store, "disclosure")).toBe(disclosuresBefore);
    const orphan = await store.doc.send(
      new GetCommand({
        TableName: store.tables.data,
        Key: { pk: "NOTIFICATION#ntf_forced_0", sk: "NOTIFICATION" },
      }),
    );
    expect(orphan.Item).toBeUndefined();
  });

  it("refuses health with a reason, and audits the refusal without personal data", async () => {
    // Act
    const response = await submitConcern(
      { ...store, subjectKey },
      caller,
      amyConcern({ concernType: "neglect_or_abuse" }),
      undefined,
    );

    // Assess
    const receipt = response.body as { id: string; refusals: { recipientId: string; reason: string }[] };
    expect(receipt.refusals).toEqual([{ recipientId: "essex-health", reason: "no_agreement" }]);
    const refused = await store.audit.query(
      { concernId: receipt.id, action: "disclosure_refused" },
      undefined,
      10,
    );
    expect(refused.items).toHaveLength(1);
    expect(refused.items[0]?.recipientId).toBe("essex-health");
    expect(refused.items[0]?.dataCategories).toBeNull();
  });
});

describe("the audit chain under contention", () => {
  it("keeps one shard gap-free and fork-free with 20 concurrent appends", async () => {
    // Prepare: one shard, so every writer races for the same next seq.
    const store = await freshStore({ shards: 1, seed: false });
    const draft = (i: number) =>
      auditDraft({
        id: `evt_${i}`,
        at: new Date().toISOString(),
        action: "audit_exported",
        actor: { partnerId: "essex-police", sub: `auditor-${i}`, clientId: "essex-police-ig" },
        target: { kind: "audit_trail", id: "all" },
        requestId: `req-${i}`,
      });

    // Act
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.concerns.audit([draft(i)])));

    // Assess
    const out = await store.doc.send(
      new QueryCommand({
        TableName: store.tables.audit,
        KeyConditionExpression: "#s = :s",
        ExpressionAttributeNames: { "#s": "shard" },
        ExpressionAttributeValues: { ":s": 0 },
        ConsistentRead: true,
      }),
    );
    expect(out.Items?.map((i) => i.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const events = [];
    for await (const page of store.audit.readShard(0)) events.push(...page);
    expect(verifyShard(0, events)).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(20);
  });
});
