import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Page } from "../../ports.js";
import { decodeCursor, encodeCursor, isStringRecord } from "./cursor.js";
import { INDEX } from "./tables.js";

/**
 * A queue IG works through (break-glass reviews, breaches): every entry on gsi1 under
 * `<queue>`, or those of one status on gsi2 under `<queue>#<status>`, a page at a time.
 */
export async function listQueue<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  queue: string,
  query: { status: string | undefined; cursor: string | undefined; limit: number; newestFirst: boolean },
): Promise<Page<T>> {
  const { status, cursor, limit, newestFirst } = query;
  const out = await doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: status ? INDEX.gsi2 : INDEX.gsi1,
      KeyConditionExpression: status ? "gsi2pk = :pk" : "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": status ? `${queue}#${status}` : queue },
      ScanIndexForward: !newestFirst,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, isStringRecord),
    }),
  );
  return {
    items: (out.Items ?? []).map((item) => item.data as T),
    nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
  };
}
