import { type DynamoDBDocumentClient, PutCommand, type PutCommandInput } from "@aws-sdk/lib-dynamodb";
import { UNACKNOWLEDGED } from "../../domain/vocabulary.js";
import type {
  Breach,
  BreakGlassReview,
  Delivery,
  ErasureDue,
  Escalation,
  NotificationRecord,
  OutboxQueue,
  TimeQueue,
} from "../../ports.js";
import type { Write } from "./commit.js";
import { queueEntry } from "./queue.js";

/** Item shapes shared by more than one store: keys and index attributes in one place. */

export const itemKeys = {
  concern: (id: string) => ({ pk: `CONCERN#${id}`, sk: "CONCERN" }),
  review: (id: string) => ({ pk: `REVIEW#${id}`, sk: "REVIEW" }),
  notification: (id: string) => ({ pk: `NOTIFICATION#${id}`, sk: "NOTIFICATION" }),
  delivery: (id: string) => ({ pk: `DELIVERY#${id}`, sk: "DELIVERY" }),
  escalation: (id: string) => ({ pk: `ESCALATION#${id}`, sk: "ESCALATION" }),
  breach: (id: string) => ({ pk: `BREACH#${id}`, sk: "BREACH" }),
  erasure: (kind: ErasureDue["kind"], id: string) => ({ pk: `ERASE#${kind}#${id}`, sk: "ERASE" }),
};

/**
 * The time queues (sparse gsi3 partitions sorted by `<time>#…`, read by `DataStore.due`): the
 * send queues apart, so only the function holding Notify's key drains the alerts.
 */
export const TIME_QUEUE_KEYS: Record<TimeQueue, string> = {
  overdue: "DUE",
  erasures: "ERASE",
  breaches: "BREACH_DUE",
  webhooks: "DELIVERY",
  alerts: "ALERT",
  reminders: "REMINDER",
};

/** IG's decision queues (gsi1 and gsi2 partitions, see queueEntry). */
export const DECISION_QUEUE_KEYS = { reviews: "REVIEWS", breaches: "BREACHES" } as const;

/**
 * A notification: in its recipient's inbox newest first (gsi1) and by status (gsi2); while
 * unacknowledged, in the due queue (gsi3) the overdue sweep reads, oldest due first.
 */
export function notificationItem(n: NotificationRecord): Record<string, unknown> {
  return {
    ...itemKeys.notification(n.id),
    ...queueEntry(`INBOX#${n.recipientId}`, n.status, `${n.createdAt}#${n.id}`),
    ...(n.status === UNACKNOWLEDGED ? { gsi3pk: TIME_QUEUE_KEYS.overdue, gsi3sk: `${n.dueBy}#${n.id}` } : {}),
    // Top level, so a write made from a copy read before an erasure can be refused by condition.
    ...(n.erasedAt ? { erasedAt: n.erasedAt } : {}),
    data: n,
  };
}

/**
 * Content due for erasure, in the erasure queue (gsi3) the sweep reads oldest first. One
 * entry per notification or concern, written with it; the sweep removes it when done. (A
 * notification's own gsi3 slot is the due queue, hence an entry of its own.)
 */
export function erasureItem(due: ErasureDue): Record<string, unknown> {
  return {
    ...itemKeys.erasure(due.kind, due.id),
    gsi3pk: TIME_QUEUE_KEYS.erasures,
    gsi3sk: `${due.eraseAt}#${due.kind}#${due.id}`,
    data: due,
  };
}

/**
 * A breach: all of them newest first (gsi1), by status (gsi2), and while open in the report
 * queue (gsi3) the sweep reads to mark one overdue when its 72 hours pass undecided.
 */
export function breachItem(b: Breach): Record<string, unknown> {
  return {
    ...itemKeys.breach(b.id),
    ...queueEntry(DECISION_QUEUE_KEYS.breaches, b.status, `${b.detectedAt}#${b.id}`),
    ...(b.status === "open" ? { gsi3pk: TIME_QUEUE_KEYS.breaches, gsi3sk: `${b.reportBy}#${b.id}` } : {}),
    data: b,
  };
}

/** A break-glass review: all of them oldest first (gsi1), and by status (gsi2). */
export function reviewItem(r: BreakGlassReview): Record<string, unknown> {
  return {
    ...itemKeys.review(r.id),
    ...queueEntry(DECISION_QUEUE_KEYS.reviews, r.status, `${r.disclosedAt}#${r.id}`),
    data: r,
  };
}

function queueOf(d: Delivery): OutboxQueue {
  if (!d.alert) return "webhooks";
  return d.status === "scheduled" ? "reminders" : "alerts";
}

/** A push message: listed per notification (gsi1); while pending, in its send queue (gsi3). */
export function deliveryItem(d: Delivery): Record<string, unknown> {
  return {
    ...itemKeys.delivery(d.id),
    gsi1pk: `DELIVERIES#${d.notificationId}`,
    gsi1sk: `${d.createdAt}#${d.id}`,
    ...((d.status === "pending" || d.status === "scheduled") && d.nextAttemptAt
      ? { gsi3pk: TIME_QUEUE_KEYS[queueOf(d)], gsi3sk: `${d.nextAttemptAt}#${d.id}` }
      : {}),
    retries: d.retries,
    status: d.status,
    data: d,
  };
}

/** An escalation, listed for the force that disclosed by time (gsi1; read newest first). */
export function escalationItem(e: Escalation): Record<string, unknown> {
  return {
    ...itemKeys.escalation(e.id),
    gsi1pk: `ESCALATIONS#${e.discloserId}`,
    gsi1sk: `${e.at}#${e.id}`,
    data: e,
  };
}

/** A put that only creates: ids are unique, and a retried create must not overwrite. */
export function createOnly(table: string, item: Record<string, unknown>): Write {
  return { Put: { TableName: table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } };
}

/**
 * A single put (no audit event rides with it) under its condition: "conflict" when the
 * condition fails, so the caller decides what a lost race means.
 */
export async function conditionalPut(
  doc: DynamoDBDocumentClient,
  put: PutCommandInput,
): Promise<"ok" | "conflict"> {
  try {
    await doc.send(new PutCommand(put));
    return "ok";
  } catch (error: unknown) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return "conflict";
    throw error;
  }
}

/**
 * A put that moves a record on only from the status it was read in, so two writers cannot
 * both move it (`also` adds to the condition).
 */
export function putIfStatus(
  table: string,
  item: Record<string, unknown>,
  expected: string,
  also = "",
): Write {
  return {
    Put: {
      TableName: table,
      Item: item,
      ConditionExpression: `#data.#status = :expected${also}`,
      ExpressionAttributeNames: { "#data": "data", "#status": "status" },
      ExpressionAttributeValues: { ":expected": expected },
    },
  };
}

/** Refuse a write made from a copy read before the notification was erased. */
export function notErasedSince(read: Pick<NotificationRecord, "erasedAt">): string {
  return read.erasedAt ? "" : " AND attribute_not_exists(erasedAt)";
}

/**
 * A notification moved on from the status it was read in. Unless `anyErasure` (a recall,
 * which erases the payload itself), a copy read before an erasure cannot restore the payload.
 */
export function notificationIfStatus(
  table: string,
  next: NotificationRecord,
  expected: NotificationRecord["status"],
  anyErasure = false,
): Write {
  return putIfStatus(table, notificationItem(next), expected, anyErasure ? "" : notErasedSince(next));
}
