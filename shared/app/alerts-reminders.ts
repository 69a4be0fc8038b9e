import { mayRemind } from "../domain/alerts.js";
import type {
  AuditStore,
  Clock,
  Delivery,
  NotificationStore,
  TimelinessStore,
  TimeQueues,
} from "../ports.js";

/** What the sweep needs to release reminders: the outbox, the notification and its trail. */
export interface ReminderDeps {
  clock: Clock;
  timeliness: TimeQueues<"reminders"> & Pick<TimelinessStore, "saveDelivery">;
  notifications: Pick<NotificationStore, "getNotification">;
  audit?: Pick<AuditStore, "query"> | undefined;
}

/** Whether anyone has opened the notification: a `notification_opened` event in its concern's trail. */
async function openedYet(deps: ReminderDeps, concernId: string, notificationId: string): Promise<boolean> {
  if (!deps.audit) return false;
  let cursor: string | undefined;
  do {
    const page = await deps.audit.query({ concernId, action: "notification_opened" }, cursor, 100);
    if (page.items.some((e) => e.notificationId === notificationId)) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return false;
}

/**
 * The sweep's part in the reminder text: each reminder whose time has come (its first send,
 * or the retry of a send that failed) is released to the alert queue (`scheduled` →
 * `pending`) if its notification is still unopened and waiting, or else cancelled unsent. The move is conditional on the reminder being as it was
 * read, so however many sweeps run at once, a reminder is released once and sent once.
 * Page by page until `stopAt` (epoch ms). Returns how many were released.
 */
export async function releaseReminders(
  deps: ReminderDeps,
  stopAt: number = Number.POSITIVE_INFINITY,
): Promise<number> {
  let released = 0;
  while (Date.now() < stopAt) {
    const now = deps.clock.now();
    const due = await deps.timeliness.due("reminders", now.toISOString(), 25);
    if (due.length === 0) return released;
    let moved = 0;
    for (const reminder of due) {
      const n = await deps.notifications.getNotification(reminder.notificationId);
      const needed = n !== null && mayRemind(n.status, await openedYet(deps, n.concernId, n.id));
      const next: Delivery = needed
        ? { ...reminder, status: "pending", nextAttemptAt: now.toISOString() }
        : {
            ...reminder,
            status: "cancelled",
            nextAttemptAt: null,
            // A retried reminder keeps the attempts that failed before it was opened.
            attempts: [
              ...reminder.attempts,
              { at: now.toISOString(), status: null, error: "not_needed", durationMs: 0 },
            ],
          };
      if ((await deps.timeliness.saveDelivery(next, reminder)) !== "ok") continue;
      moved++;
      if (needed) released++;
    }
    // A page of nothing but conflicts (another sweep moved them): the index settles by the next run.
    if (moved === 0) return released;
  }
  return released;
}
