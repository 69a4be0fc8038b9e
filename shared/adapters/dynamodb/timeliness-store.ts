import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditDraft } from "../../domain/audit.js";
import { UNACKNOWLEDGED } from "../../domain/vocabulary.js";
import type {
  Delivery,
  Escalation,
  NotificationRecord,
  OutboxQueue,
  Page,
  TimelinessStore,
} from "../../ports.js";
import { type CommitOptions, commitOrConflict, type Write } from "./commit.js";
import { decodeCursor, encodeCursor, isStringRecord } from "./cursor.js";
import {
  createOnly,
  deliveryItem,
  escalationItem,
  notificationIfStatus,
  OUTBOX_QUEUE_KEYS,
} from "./items.js";
import { INDEX, type TableNames } from "./tables.js";

/** The due queue, the push outbox and escalations: the hub's work that runs on a clock. */
export class DynamoTimelinessStore implements TimelinessStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly commitOptions?: CommitOptions,
  ) {}

  private async queue<T>(pk: string, now: string, limit: number): Promise<T[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: INDEX.gsi3,
        KeyConditionExpression: "gsi3pk = :pk AND gsi3sk <= :now",
        ExpressionAttributeValues: { ":pk": pk, ":now": `${now}~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => item.data as T);
  }

  overdueCandidates(now: string, limit: number): Promise<NotificationRecord[]> {
    return this.queue<NotificationRecord>("DUE", now, limit);
  }

  dueDeliveries(now: string, limit: number, queue: OutboxQueue = "webhooks"): Promise<Delivery[]> {
    return this.queue<Delivery>(OUTBOX_QUEUE_KEYS[queue], now, limit);
  }

  async markOverdue(
    next: NotificationRecord,
    events: AuditDraft[],
    escalation: Escalation,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict"> {
    const writes: Write[] = [
      // The copy came from the due index: one read before an erasure must not restore the payload.
      notificationIfStatus(this.tables.data, next, UNACKNOWLEDGED),
      createOnly(this.tables.data, escalationItem(escalation)),
      ...deliveries.map((d) => createOnly(this.tables.data, deliveryItem(d))),
    ];
    return commitOrConflict(this.doc, this.tables, writes, events, this.commitOptions);
  }

  async recordEscalation(escalation: Escalation): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.data,
          Item: escalationItem(escalation),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error: unknown) {
      // Escalated already: once is enough.
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  }

  async listEscalations(
    discloserId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<Escalation>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: INDEX.gsi1,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `ESCALATIONS#${discloserId}` },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, isStringRecord),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => item.data as Escalation),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  async saveDelivery(next: Delivery, expected: Delivery): Promise<"ok" | "conflict"> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tables.data,
          Item: deliveryItem(next),
          ConditionExpression: "retries = :retries AND #status = :status AND #data.#next = :next",
          ExpressionAttributeNames: { "#status": "status", "#data": "data", "#next": "nextAttemptAt" },
          ExpressionAttributeValues: {
            ":retries": expected.retries,
            ":status": expected.status,
            ":next": expected.nextAttemptAt,
          },
        }),
      );
      return "ok";
    } catch (error: unknown) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return "conflict";
      throw error;
    }
  }

  async deliveriesOf(notificationId: string): Promise<Delivery[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: INDEX.gsi1,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `DELIVERIES#${notificationId}` },
      }),
    );
    return (out.Items ?? []).map((item) => item.data as Delivery);
  }

  async notificationsCreated(recipientId: string, from: string, to: string): Promise<NotificationRecord[]> {
    const found: NotificationRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.data,
          IndexName: INDEX.gsi1,
          KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": `INBOX#${recipientId}`, ":from": from, ":to": `${to}~` },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(out.Items ?? []).map((item) => item.data as NotificationRecord));
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }
}
