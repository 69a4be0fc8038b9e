import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import { DynamoConcernStore } from "../../shared/adapters/dynamodb/concern-store.js";

/** GET /v1/concerns/{id} right after its 201 must find the concern: both reads are consistent. */
const doc = documentClient("http://127.0.0.1:1", {});
const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoConcernStore(doc, { data: "data", audit: "audit" });

describe("reading a concern the discloser has just submitted", () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { data: { id: "con_1", notificationIds: ["ntf_1"] } } });
    ddb.on(BatchGetCommand).resolves({ Responses: { data: [{ data: { id: "ntf_1" } }] } });
  });

  it("reads the concern and its notifications with ConsistentRead", async () => {
    // Act
    await store.getConcern("con_1");
    await store.getNotifications(["ntf_1"]);

    // Assess
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.data?.ConsistentRead).toBe(true);
  });
});
