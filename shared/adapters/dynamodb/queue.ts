import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Page } from "../../ports.js";
import { pageOf } from "./reads.js";
import { INDEX } from "./tables.js";

/**
 * A queue read a page at a time (a partner's inbox, IG's break-glass reviews and breaches):
 * every entry on gsi1 under `<queue>`, and those of one status on gsi2 under
 * `<queue>#<status>`, both in `order`.
 */
export function queueEntry(queue: string, status: string, order: string) {
  return { gsi1pk: queue, gsi1sk: order, gsi2pk: `${queue}#${status}`, gsi2sk: order };
}

/** One page of a queue (see queueEntry), of one status or all. */
export function listQueue<T>(
  doc: DynamoDBDocumentClient,
  table: string,
  queue: string,
  query: { status: string | undefined; cursor: string | undefined; limit: number; newestFirst: boolean },
): Promise<Page<T>> {
  const { status, cursor, limit, newestFirst } = query;
  return pageOf<T>(
    doc,
    {
      TableName: table,
      IndexName: status ? INDEX.gsi2 : INDEX.gsi1,
      KeyConditionExpression: status ? "gsi2pk = :pk" : "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": status ? `${queue}#${status}` : queue },
      ScanIndexForward: !newestFirst,
      Limit: limit,
    },
    cursor,
  );
}
