import type { AuditDraft } from "../../domain/audit.js";
import { UNACKNOWLEDGED } from "../../domain/vocabulary.js";
import type { Delivery, Escalation, NotificationRecord, Page, TimelinessStore } from "../../ports.js";
import { DataStore } from "./data-store.js";
import { conditionalPut, deliveryItem, escalationItem, notificationIfStatus } from "./items.js";
import { pageOf, queryAll } from "./reads.js";
import { INDEX } from "./tables.js";

/**
 * The due queue, the push outbox and escalations: the hub's work that runs on a clock (the
 * `overdue` and send queues are read with `due`, from DataStore).
 */
export class DynamoTimelinessStore extends DataStore implements TimelinessStore {
  async markOverdue(
    next: NotificationRecord,
    events: AuditDraft[],
    escalation: Escalation,
    deliveries: Delivery[],
  ): Promise<"ok" | "conflict"> {
    // The copy came from the due index: one read before an erasure must not restore the payload.
    const change = notificationIfStatus(this.tables.data, next, UNACKNOWLEDGED);
    return this.commitChange(change, [escalationItem(escalation), ...deliveries.map(deliveryItem)], events);
  }

  async recordEscalation(escalation: Escalation): Promise<void> {
    // A conflict is an escalation made already: once is enough.
    await conditionalPut(this.doc, {
      TableName: this.tables.data,
      Item: escalationItem(escalation),
      ConditionExpression: "attribute_not_exists(pk)",
    });
  }

  listEscalations(discloserId: string, cursor: string | undefined, limit: number): Promise<Page<Escalation>> {
    return pageOf<Escalation>(
      this.doc,
      {
        TableName: this.tables.data,
        IndexName: INDEX.gsi1,
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `ESCALATIONS#${discloserId}` },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
  }

  saveDelivery(next: Delivery, expected: Delivery): Promise<"ok" | "conflict"> {
    return conditionalPut(this.doc, {
      TableName: this.tables.data,
      Item: deliveryItem(next),
      ConditionExpression: "retries = :retries AND #status = :status AND #data.#next = :next",
      ExpressionAttributeNames: { "#status": "status", "#data": "data", "#next": "nextAttemptAt" },
      ExpressionAttributeValues: {
        ":retries": expected.retries,
        ":status": expected.status,
        ":next": expected.nextAttemptAt,
      },
    });
  }

  deliveriesOf(notificationId: string): Promise<Delivery[]> {
    return queryAll<Delivery>(this.doc, {
      TableName: this.tables.data,
      IndexName: INDEX.gsi1,
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": `DELIVERIES#${notificationId}` },
    });
  }

  notificationsCreated(recipientId: string, from: string, to: string): Promise<NotificationRecord[]> {
    return queryAll<NotificationRecord>(this.doc, {
      TableName: this.tables.data,
      IndexName: INDEX.gsi1,
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": `INBOX#${recipientId}`, ":from": from, ":to": `${to}~` },
    });
  }
}
