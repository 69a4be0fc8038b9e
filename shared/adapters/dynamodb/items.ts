import type { Delivery, Escalation, NotificationRecord } from "../../ports.js";

/** Item shapes shared by more than one store: keys and index attributes in one place. */

export const itemKeys = {
  notification: (id: string) => ({ pk: `NOTIFICATION#${id}`, sk: "NOTIFICATION" }),
  delivery: (id: string) => ({ pk: `DELIVERY#${id}`, sk: "DELIVERY" }),
  escalation: (id: string) => ({ pk: `ESCALATION#${id}`, sk: "ESCALATION" }),
};

/**
 * A notification: in its recipient's inbox newest first (gsi1) and by status (gsi2); while
 * still `delivered`, in the due queue (gsi3) the overdue sweep reads, oldest due first.
 */
export function notificationItem(n: NotificationRecord): Record<string, unknown> {
  const order = `${n.createdAt}#${n.id}`;
  return {
    ...itemKeys.notification(n.id),
    gsi1pk: `INBOX#${n.recipientId}`,
    gsi1sk: order,
    gsi2pk: `INBOX#${n.recipientId}#${n.status}`,
    gsi2sk: order,
    ...(n.status === "delivered" ? { gsi3pk: "DUE", gsi3sk: `${n.dueBy}#${n.id}` } : {}),
    data: n,
  };
}

/** A push message: listed per notification (gsi1); while pending, in the send queue (gsi3). */
export function deliveryItem(d: Delivery): Record<string, unknown> {
  return {
    ...itemKeys.delivery(d.id),
    gsi1pk: `DELIVERIES#${d.notificationId}`,
    gsi1sk: `${d.createdAt}#${d.id}`,
    ...(d.status === "pending" && d.nextAttemptAt
      ? { gsi3pk: "DELIVERY", gsi3sk: `${d.nextAttemptAt}#${d.id}` }
      : {}),
    retries: d.retries,
    status: d.status,
    data: d,
  };
}

/** An escalation, listed for the force that disclosed, oldest first (gsi1). */
export function escalationItem(e: Escalation): Record<string, unknown> {
  return {
    ...itemKeys.escalation(e.id),
    gsi1pk: `ESCALATIONS#${e.discloserId}`,
    gsi1sk: `${e.at}#${e.id}`,
    data: e,
  };
}
