import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditEvent, GENESIS_HASH, type ShardHead } from "../../domain/audit.js";
import { AUDIT_INDEX_KEYS, INDEX } from "./tables.js";

/** Time, then place in the chain: unique, and of one length, so "just after" is a suffix away. */
export function sortKeyOf(event: Pick<AuditEvent, "at" | "shard" | "seq">): string {
  return `${event.at}#${String(event.shard).padStart(4, "0")}#${String(event.seq).padStart(12, "0")}`;
}

/** The audit item: the event's members as top-level attributes, plus the index keys. */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const item: Record<string, unknown> = { ...event, sortKey: sortKeyOf(event) };
  if (event.subjectId) item[AUDIT_INDEX_KEYS[INDEX.bySubject]] = event.subjectId;
  if (event.concernId) item[AUDIT_INDEX_KEYS[INDEX.byConcern]] = event.concernId;
  if (event.recipientId) item[AUDIT_INDEX_KEYS[INDEX.byRecipient]] = event.recipientId;
  if (event.actor.partnerId) item[AUDIT_INDEX_KEYS[INDEX.byActor]] = event.actor.partnerId;
  item[AUDIT_INDEX_KEYS[INDEX.byDay]] = event.at.slice(0, 10);
  return item;
}

export async function readHead(
  doc: DynamoDBDocumentClient,
  table: string,
  shard: number,
): Promise<ShardHead> {
  const out = await doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "#shard = :shard",
      ExpressionAttributeNames: { "#shard": "shard", "#seq": "seq", "#hash": "hash" },
      ExpressionAttributeValues: { ":shard": shard },
      ProjectionExpression: "#seq, #hash",
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const last = out.Items?.[0] as { seq: number; hash: string } | undefined;
  return last ? { shard, seq: last.seq, hash: last.hash } : { shard, seq: 0, hash: GENESIS_HASH };
}
