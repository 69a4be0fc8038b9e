import { ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import type { Caller } from "../../shared/app/context.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import { LanternError } from "../../shared/errors.js";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

/** The contract's Idempotency-Key: the same key and body answer the first response, and write nothing new. */

const police = DEMO_PARTNERS.find((p) => p.id === "essex-police");
if (!police) throw new Error("demo registry has no police");
const caller: Caller = {
  partner: police,
  sub: "pc-1234",
  clientId: "essex-police-app",
  scopes: new Set(["concerns:submit"]),
  requestId: "req-idem",
};
const subjectKey = Buffer.alloc(32, 7);

type Store = Awaited<ReturnType<typeof freshStore>>;

/** How many concerns, notifications and audit events the tables hold (a Scan: fine in a test). */
async function census(store: Pick<Store, "doc" | "tables">) {
  const count = async (table: string, prefix?: string) => {
    let n = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await store.doc.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(prefix
            ? {
                FilterExpression: "begins_with(pk, :p)",
                ExpressionAttributeValues: { ":p": prefix },
              }
            : {}),
        }),
      );
      n += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return n;
  };
  return {
    concerns: await count(store.tables.data, "CONCERN#"),
    notifications: await count(store.tables.data, "NOTIFICATION#"),
    auditEvents: await count(store.tables.audit),
  };
}

describe("Idempotency-Key on a submission", () => {
  let store: Store;
  let deps: Store & { subjectKey: Buffer };
  beforeAll(async () => {
    // One set of tables: every test uses its own key and counts what changed.
    store = await freshStore();
    deps = { ...store, subjectKey };
  });

  it("answers the same key and body with the first response and creates nothing new", async () => {
    // Prepare
    const empty = await census(store);
    const first = await submitConcern(deps, caller, amyConcern(), "key-same");
    const before = await census(store);

    // Act
    const again = await submitConcern(deps, caller, amyConcern(), "key-same");

    // Assess
    expect(again).toEqual(first);
    expect(await census(store)).toEqual(before);
    expect(before.concerns - empty.concerns).toBe(1);
    expect(before.notifications - empty.notifications).toBe(2);
  });

  it("answers the same key with another body 409, and creates nothing", async () => {
    // Prepare
    await submitConcern(deps, caller, amyConcern(), "key-other");
    const before = await census(store);

    // Act
    const error = await submitConcern(deps, caller, amyConcern({ riskRating: "amber" }), "key-other").catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(LanternError);
    expect((error as LanternError).status).toBe(409);
    expect(await census(store)).toEqual(before);
  });

  it("answers 10 concurrent calls with one key and body identically, and commits one set", async () => {
    // Prepare
    const before = await census(store);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => submitConcern(deps, caller, amyConcern(), "key-race")),
    );

    // Assess
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const receipt = answers[0]?.body as { notifications: unknown[]; refusals: unknown[] };
    const after = await census(store);
    expect(after.concerns - before.concerns).toBe(1);
    expect(after.notifications - before.notifications).toBe(receipt.notifications.length);
    expect(after.auditEvents - before.auditEvents).toBe(
      receipt.notifications.length + receipt.refusals.length,
    );
  });

  it("remembers the key across a restart: fresh stores on the same tables", async () => {
    // Prepare
    const first = await submitConcern(deps, caller, amyConcern(), "key-durable");
    const before = await census(store);
    const doc = documentClient(store.endpoint, {});
    const restarted = {
      ...deps,
      doc,
      registry: new DynamoRegistryStore(doc, store.tables, store.commit),
      concerns: new DynamoConcernStore(doc, store.tables, store.commit),
    };

    // Act
    const again = await submitConcern(restarted, caller, amyConcern(), "key-durable");
    const other = await submitConcern(
      restarted,
      caller,
      amyConcern({ riskRating: "green" }),
      "key-durable",
    ).catch((e: unknown) => e);

    // Assess
    expect(again).toEqual(first);
    expect((other as LanternError).status).toBe(409);
    expect(await census({ doc, tables: store.tables })).toEqual(before);
  });
});

describe("an Idempotency-Key past its 24 hours, its record not yet removed by TTL", () => {
  it("commits the concern afresh: never a 201 for a concern that is not stored", async () => {
    // Prepare: an expired record under the key, as DynamoDB's TTL may leave it for two days.
    const store = await freshStore();
    const deps = { ...store, subjectKey };
    const old = await submitConcern(deps, caller, amyConcern(), "key-expired");
    const stale = Math.floor(Date.now() / 1000) - 60;
    await store.doc.send(
      new UpdateCommand({
        TableName: store.tables.data,
        Key: { pk: `IDEMPOTENCY#${police.id}#key-expired`, sk: "IDEMPOTENCY" },
        UpdateExpression: "SET expiresAt = :stale, #data.expiresAt = :stale",
        ExpressionAttributeNames: { "#data": "data" },
        ExpressionAttributeValues: { ":stale": stale },
      }),
    );

    // Act
    const again = await submitConcern(deps, caller, amyConcern(), "key-expired");

    // Assess: a new concern, stored, and the key now answers with it.
    const id = (again.body as { id: string }).id;
    expect(again.statusCode).toBe(201);
    expect(id).not.toBe((old.body as { id: string }).id);
    expect((await store.concerns.getConcern(id))?.id).toBe(id);
    expect(await submitConcern(deps, caller, amyConcern(), "key-expired")).toEqual(again);
  });
});
