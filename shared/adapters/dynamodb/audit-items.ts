import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type AuditEvent, GENESIS_HASH, type ShardHead } from "../../domain/audit.js";
import { AUDIT_INDEX_KEYS, INDEX } from "./tables.js";

/** Time, then place in the chain: unique, and of one length, so "just after" is a suffix away. */
export function sortKeyOf(event: Pick<AuditEvent, "at" | "shard" | "seq">): string {
  return `${event.at}#${String(event.shard).padStart(4, "0")}#${String(event.seq).padStart(12, "0")}`;
}

/**
 * Members an item holds only under their index's key attribute, never twice: a disclosure's
 * item then stays under 1 KB, so it and each of its six index entries cost one write unit,
 * not two. (Items written before hold both; readers and filters use the key attribute, which
 * every item has.)
 */
export const STORED_AS_INDEX_KEY = {
  subjectId: AUDIT_INDEX_KEYS[INDEX.bySubject],
  concernId: AUDIT_INDEX_KEYS[INDEX.byConcern],
  recipientId: AUDIT_INDEX_KEYS[INDEX.byRecipient],
} as const;

/** SHA-256 digests, stored as their 32 bytes rather than 64 hex characters (96 bytes an event). */
const DIGESTS = new Set(["hash", "prevHash", "payloadSha256"]);

/** A digest as the event has it (hex), whether stored as bytes or, before, as hex. */
export function hexOf(stored: unknown): unknown {
  return stored instanceof Uint8Array ? Buffer.from(stored).toString("hex") : stored;
}

/**
 * The audit item: the event's members as top-level attributes, plus the index keys. A null
 * member is left out (the reader gives it back as null), since an index key cannot be null and
 * every byte counts towards the 1 KB write unit.
 */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const item: Record<string, unknown> = { sortKey: sortKeyOf(event) };
  for (const [member, value] of Object.entries(event)) {
    if (value === null || value === undefined) continue;
    const stored = DIGESTS.has(member) ? Buffer.from(value as string, "hex") : value;
    item[STORED_AS_INDEX_KEY[member as keyof typeof STORED_AS_INDEX_KEY] ?? member] = stored;
  }
  if (event.actor.partnerId) item[AUDIT_INDEX_KEYS[INDEX.byActor]] = event.actor.partnerId;
  item[AUDIT_INDEX_KEYS[INDEX.byDay]] = event.at.slice(0, 10);
  return item;
}

/**
 * One shard of the audit table (events, or the checkpoints' shard -1) from a `seq` on, read
 * consistently: past `seq`, or from it when `inclusive`.
 */
export function shardFrom(table: string, shard: number, seq: number, inclusive = false) {
  return {
    TableName: table,
    KeyConditionExpression: `#shard = :shard AND #seq ${inclusive ? ">=" : ">"} :seq`,
    ExpressionAttributeNames: { "#shard": "shard", "#seq": "seq" },
    ExpressionAttributeValues: { ":shard": shard, ":seq": seq },
    ConsistentRead: true,
  };
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
  const last = out.Items?.[0] as { seq: number; hash: unknown } | undefined;
  return last
    ? { shard, seq: last.seq, hash: String(hexOf(last.hash)) }
    : { shard, seq: 0, hash: GENESIS_HASH };
}
