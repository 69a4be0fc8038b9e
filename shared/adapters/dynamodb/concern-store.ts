import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import type { AuditDraft, AuditEvent } from "../../domain/audit.js";
import type { NotificationStatus } from "../../domain/vocabulary.js";
import type {
  BreakGlassReview,
  ConcernRecord,
  ConcernStore,
  Delivery,
  Idempotency,
  NotificationRecord,
  NotificationStore,
  Page,
  ReviewStore,
} from "../../ports.js";
import { type CommitOptions, commitWithAudit, type Write, WriteConditionFailed } from "./commit.js";
import { decodeCursor, encodeCursor, isStringRecord } from "./cursor.js";
import { deliveryItem, itemKeys, notificationItem } from "./items.js";
import { createOnly } from "./registry-store.js";
import { INDEX, type TableNames } from "./tables.js";

const keys = {
  concern: (id: string) => ({ pk: `CONCERN#${id}`, sk: "CONCERN" }),
  notification: itemKeys.notification,
  idempotency: (partnerId: string, key: string) => ({
    pk: `IDEMPOTENCY#${partnerId}#${key}`,
    sk: "IDEMPOTENCY",
  }),
  review: (id: string) => ({ pk: `REVIEW#${id}`, sk: "REVIEW" }),
};

/** The break-glass review queue: all reviews oldest first (gsi1), and by status (gsi2). */
function reviewItem(r: BreakGlassReview): Record<string, unknown> {
  const order = `${r.disclosedAt}#${r.id}`;
  return {
    ...keys.review(r.id),
    gsi1pk: "REVIEWS",
    gsi1sk: order,
    gsi2pk: `REVIEWS#${r.status}`,
    gsi2sk: order,
    data: r,
  };
}

export class DynamoConcernStore implements ConcernStore, NotificationStore, ReviewStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: TableNames,
    private readonly commitOptions?: CommitOptions,
  ) {}

  async recordConcern(
    concern: ConcernRecord,
    notifications: NotificationRecord[],
    events: AuditDraft[],
    idempotency: Idempotency | null,
    reviews: BreakGlassReview[] = [],
    deliveries: Delivery[] = [],
  ): Promise<"ok" | "idempotency_conflict"> {
    const table = this.tables.data;
    const writes: Write[] = [];
    if (idempotency) {
      writes.push(
        createOnly(table, {
          ...keys.idempotency(idempotency.partnerId, idempotency.key),
          data: idempotency,
          expiresAt: idempotency.expiresAt,
        }),
      );
    }
    writes.push(
      createOnly(table, {
        ...keys.concern(concern.id),
        gsi1pk: `CONCERNS#${concern.discloserId}`,
        gsi1sk: `${concern.receivedAt}#${concern.id}`,
        data: concern,
      }),
      ...notifications.map((n) => createOnly(table, notificationItem(n))),
      ...reviews.map((r) => createOnly(table, reviewItem(r))),
      ...deliveries.map((d) => createOnly(table, deliveryItem(d))),
    );
    try {
      await commitWithAudit(this.doc, this.tables, writes, events, this.commitOptions);
      return "ok";
    } catch (error: unknown) {
      if (error instanceof WriteConditionFailed && idempotency && error.index === 0)
        return "idempotency_conflict";
      throw error;
    }
  }

  async findIdempotency(partnerId: string, key: string): Promise<Idempotency | null> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tables.data,
        Key: keys.idempotency(partnerId, key),
        ConsistentRead: true,
      }),
    );
    const record = out.Item?.data as Idempotency | undefined;
    // DynamoDB's TTL deletes lazily: an expired record no longer counts.
    if (!record || record.expiresAt * 1000 < Date.now()) return null;
    return record;
  }

  async getConcern(id: string): Promise<ConcernRecord | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tables.data, Key: keys.concern(id) }));
    return (out.Item?.data as ConcernRecord | undefined) ?? null;
  }

  async getNotifications(ids: readonly string[]): Promise<NotificationRecord[]> {
    const found: NotificationRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tables.data]: { Keys: ids.slice(i, i + 100).map((id) => keys.notification(id)) },
      };
      while (request && Object.keys(request).length > 0) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.tables.data] ?? [])
          found.push(item.data as NotificationRecord);
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async getNotification(id: string): Promise<NotificationRecord | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: keys.notification(id), ConsistentRead: true }),
    );
    return (out.Item?.data as NotificationRecord | undefined) ?? null;
  }

  async listReviews(
    status: BreakGlassReview["status"] | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<BreakGlassReview>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: status ? INDEX.gsi2 : INDEX.gsi1,
        KeyConditionExpression: status ? "gsi2pk = :pk" : "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": status ? `REVIEWS#${status}` : "REVIEWS" },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, isStringRecord),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => item.data as BreakGlassReview),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  async getReview(id: string): Promise<BreakGlassReview | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.data, Key: keys.review(id), ConsistentRead: true }),
    );
    return (out.Item?.data as BreakGlassReview | undefined) ?? null;
  }

  async saveReview(next: BreakGlassReview, events: AuditDraft[]): Promise<"ok" | "conflict"> {
    const write: Write = {
      Put: {
        TableName: this.tables.data,
        Item: reviewItem(next),
        ConditionExpression: "#data.#status = :pending",
        ExpressionAttributeNames: { "#data": "data", "#status": "status" },
        ExpressionAttributeValues: { ":pending": "pending" },
      },
    };
    try {
      await commitWithAudit(this.doc, this.tables, [write], events, this.commitOptions);
      return "ok";
    } catch (error: unknown) {
      if (error instanceof WriteConditionFailed) return "conflict";
      throw error;
    }
  }

  async listNotifications(
    recipientId: string,
    status: NotificationStatus | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<NotificationRecord>> {
    const byStatus = status !== undefined;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tables.data,
        IndexName: byStatus ? INDEX.gsi2 : INDEX.gsi1,
        KeyConditionExpression: byStatus ? "gsi2pk = :pk" : "gsi1pk = :pk",
        ExpressionAttributeValues: {
          ":pk": byStatus ? `INBOX#${recipientId}#${status}` : `INBOX#${recipientId}`,
        },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, isStringRecord),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => item.data as NotificationRecord),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  async transition(
    next: NotificationRecord,
    expectedStatus: NotificationStatus,
    events: AuditDraft[],
  ): Promise<"ok" | "conflict"> {
    const write: Write = {
      Put: {
        TableName: this.tables.data,
        Item: notificationItem(next),
        ConditionExpression: "#data.#status = :expected",
        ExpressionAttributeNames: { "#data": "data", "#status": "status" },
        ExpressionAttributeValues: { ":expected": expectedStatus },
      },
    };
    try {
      await commitWithAudit(this.doc, this.tables, [write], events, this.commitOptions);
      return "ok";
    } catch (error: unknown) {
      if (error instanceof WriteConditionFailed) return "conflict";
      throw error;
    }
  }

  audit(events: AuditDraft[]): Promise<AuditEvent[]> {
    return commitWithAudit(this.doc, this.tables, [], events, this.commitOptions);
  }
}
