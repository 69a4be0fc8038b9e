import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { documentClient } from "../../shared/adapters/dynamodb/client.js";
import type { CommitOptions } from "../../shared/adapters/dynamodb/commit.js";

/**
 * DynamoDB played by aws-sdk-client-mock, for the faults and index lags a real store will not
 * produce on demand: a document client that never reaches a server, its mock, the two tables'
 * names, and commit options that retry at once (`maxAttempts` as the test needs).
 */
export function mockedDynamo(maxAttempts: number) {
  const doc = documentClient("http://127.0.0.1:1", {});
  const ddb = mockClient(DynamoDBDocumentClient);
  const tables = { data: "data", audit: "audit" };
  const commit: CommitOptions = {
    shards: 4,
    maxAttempts,
    baseDelayMs: 1,
    maxDelayMs: 2,
    sleep: async () => {},
  };
  return { doc, ddb, tables, commit };
}
