import { type AlertRoute, mayAlert, sendOutcome } from "../domain/alerts.js";
import type { Partner } from "../domain/registry.js";
import type { Delivery, DeliveryAttempt, NotificationStore, RegistryStore } from "../ports.js";
import type { Alerts } from "./alerts.js";
import { settle } from "./outbox.js";

/** What sending an alert needs: the registry for the address, the notification's state. */
export interface AlertDeliveryDeps {
  registry: Pick<RegistryStore, "getPartner">;
  notifications: Pick<NotificationStore, "getNotification">;
  alerts?: Alerts | null | undefined;
  retrySchedule?: readonly number[] | undefined;
}

/** The address an alert goes to, as the registry has it now; undefined when there is none. */
function addressOf(partner: Partner | undefined, route: AlertRoute): string | undefined {
  if (route.to.kind === "escalation_contact") {
    return route.channel === "email" ? partner?.escalationContact?.email : undefined;
  }
  const sub = route.to.sub;
  const adult = partner?.keyAdults?.find((k) => k.sub === sub);
  return route.channel === "email" ? adult?.email : adult?.mobile;
}

const ended = (claimed: Delivery, now: Date, status: Delivery["status"], error: string): Delivery => ({
  ...claimed,
  status,
  nextAttemptAt: null,
  attempts: [...claimed.attempts, { at: now.toISOString(), status: null, error, durationMs: 0 }],
});

/**
 * Whether the alert is still wanted (`mayAlert`), by the notification as it is now: this
 * function may not read the trail, only the notification (the sweep checked a reminder was
 * unopened when it released it). Checked before every attempt, retries included: a
 * notification acknowledged between a failed send and its retry needs nobody chased.
 */
async function stillWanted(deps: AlertDeliveryDeps, claimed: Delivery, route: AlertRoute): Promise<boolean> {
  const n = await deps.notifications.getNotification(claimed.notificationId);
  return n !== null && mayAlert(route.kind, n.status);
}

/**
 * One attempt of an alert. One no longer wanted (see `stillWanted`) is cancelled unsent. The
 * address is read now, so a corrected address is used at the next retry and a removed one
 * ends the alert. The attempt records Notify's notification id, never the address. A
 * reminder to be tried again goes back to `scheduled` at its retry time, so the sweep checks
 * the trail for an opening before every retry as before the first send: once opened, no text.
 */
export async function attemptAlert(deps: AlertDeliveryDeps, claimed: Delivery, now: Date): Promise<Delivery> {
  const route = claimed.alert as AlertRoute;
  const send = deps.alerts?.send;
  if (!deps.alerts || !send) return ended(claimed, now, "failed", "notify_not_configured");
  if (!(await stillWanted(deps, claimed, route))) return ended(claimed, now, "cancelled", "not_needed");
  const partner = (await deps.registry.getPartner(claimed.partnerId))?.value;
  const to = addressOf(partner, route);
  if (!to) return ended(claimed, now, "failed", "no_address");
  const { config } = deps.alerts;
  const started = Date.now();
  const result = await send({
    channel: route.channel,
    templateId: route.channel === "email" ? config.emailTemplateId : config.smsTemplateId,
    to,
    personalisation: JSON.parse(claimed.body) as Record<string, string>,
    reference: claimed.id,
  });
  const attempt: DeliveryAttempt = {
    at: now.toISOString(),
    status: result.status,
    error: result.error,
    durationMs: Date.now() - started,
    notifyId: result.notifyId,
  };
  const settled = settle(
    claimed,
    [...claimed.attempts, attempt],
    sendOutcome(result.status),
    deps.retrySchedule,
    now,
  );
  return route.kind === "reminder" && settled.status === "pending"
    ? { ...settled, status: "scheduled" }
    : settled;
}
