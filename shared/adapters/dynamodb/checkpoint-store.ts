import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ShardHead } from "../../domain/audit.js";
import type { CheckpointPayload } from "../../domain/checkpoint.js";
import type { CheckpointStore, StoredCheckpoint } from "../../ports.js";
import { readHead } from "./commit.js";

/**
 * Checkpoints live in the audit table under shard -1, numbered 1, 2, 3... like events, so
 * they share its protection: write-once by a conditional put, no role may update or delete
 * them, and the stream alarm watches them too.
 */
export const CHECKPOINT_SHARD = -1;

export class DynamoCheckpointStore implements CheckpointStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shards: number,
  ) {}

  private static fromItem(item: Record<string, unknown>): StoredCheckpoint {
    return {
      number: item.seq as number,
      jws: item.jws as string,
      payload: item.payload as CheckpointPayload,
    };
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "#shard = :shard",
        ExpressionAttributeNames: { "#shard": "shard" },
        ExpressionAttributeValues: { ":shard": CHECKPOINT_SHARD },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? DynamoCheckpointStore.fromItem(item) : null;
  }

  async listCheckpoints(fromNumber: number, limit: number): Promise<StoredCheckpoint[]> {
    const found: StoredCheckpoint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "#shard = :shard AND #seq >= :from",
          ExpressionAttributeNames: { "#shard": "shard", "#seq": "seq" },
          ExpressionAttributeValues: { ":shard": CHECKPOINT_SHARD, ":from": fromNumber },
          ConsistentRead: true,
          Limit: Math.min(limit - found.length, 1000),
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(out.Items ?? []).map(DynamoCheckpointStore.fromItem));
      start = out.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  async appendCheckpoint(checkpoint: StoredCheckpoint): Promise<"ok" | "taken"> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            shard: CHECKPOINT_SHARD,
            seq: checkpoint.number,
            jws: checkpoint.jws,
            payload: checkpoint.payload,
            at: checkpoint.payload.at,
          },
          ConditionExpression: "attribute_not_exists(#seq)",
          ExpressionAttributeNames: { "#seq": "seq" },
        }),
      );
      return "ok";
    } catch (error: unknown) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return "taken";
      throw error;
    }
  }

  heads(): Promise<ShardHead[]> {
    return Promise.all(
      Array.from({ length: this.shards }, (_, shard) => readHead(this.doc, this.table, shard)),
    );
  }
}
