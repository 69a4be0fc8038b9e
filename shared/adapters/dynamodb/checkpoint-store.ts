import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ShardHead } from "../../domain/audit.js";
import type { CheckpointPayload } from "../../domain/checkpoint.js";
import type { CheckpointStore, StoredCheckpoint } from "../../ports.js";
import { shardFrom } from "./audit-items.js";
import { readHead } from "./commit.js";
import { conditionalPut } from "./items.js";
import { queryPages } from "./reads.js";

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
    const query = { ...shardFrom(this.table, CHECKPOINT_SHARD, fromNumber, true), Limit: 1000 };
    for await (const items of queryPages(this.doc, query, limit)) {
      found.push(...items.map(DynamoCheckpointStore.fromItem));
    }
    return found;
  }

  async appendCheckpoint(checkpoint: StoredCheckpoint): Promise<"ok" | "taken"> {
    const outcome = await conditionalPut(this.doc, {
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
    });
    return outcome === "ok" ? "ok" : "taken";
  }

  heads(): Promise<ShardHead[]> {
    return Promise.all(
      Array.from({ length: this.shards }, (_, shard) => readHead(this.doc, this.table, shard)),
    );
  }
}
