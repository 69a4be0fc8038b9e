import { randomUUID } from "node:crypto";
import type { Partner } from "../domain/registry.js";
import { ACCEPTED } from "../domain/vocabulary.js";
import { signatureHeader, webhookBody } from "../domain/webhook.js";
import type {
  AuditStore,
  Clock,
  Delivery,
  Escalation,
  Ids,
  NotificationRecord,
  NotificationStore,
  OutboxQueue,
  RegistryStore,
  TimelinessStore,
  WebhookOwner,
  WebhookSender,
} from "../ports.js";
import type { Alerts } from "./alerts.js";
import { alertsOnOverdue } from "./alerts.js";
import { attemptAlert } from "./alerts-delivery.js";
import { type Caller, sweepEvent } from "./context.js";
import { ownNotification } from "./notifications.js";
import { settle } from "./outbox.js";

// The figures moved to their own module; importers keep finding them here.
export { timelinessFigures } from "./timeliness-figures.js";

/**
 * Timeliness: notifications not acknowledged by their due time turn overdue (audited once,
 * escalated to the force, pushed to the recipient), and push messages are delivered with
 * retries that know the deadline.
 */
export interface TimelinessDeps {
  clock: Clock;
  ids: Ids;
  registry: RegistryStore;
  notifications: NotificationStore;
  timeliness: TimelinessStore;
  send: WebhookSender;
  /** Retry delays from the first attempt; the contract's schedule unless a drill shortens it. */
  retrySchedule?: readonly number[] | undefined;
  /** Alerts for people (GOV.UK Notify), when configured. */
  alerts?: Alerts | null;
  /** The trail, where a reminder looks for an opening. */
  audit?: Pick<AuditStore, "query">;
}

export const RECEIVER_TIMEOUT_MS = 15_000;
/** A delivery still failing this close to the due time is escalated to the force. */
export const DELIVERY_ESCALATION_WINDOW_MS = 30 * 60_000;

/**
 * The push messages for a notification event: to the partner's webhook, and for an overdue
 * notification also to its escalation contact's webhook (a duty manager's system, say), each
 * signed with its owner's own secret. None for a partner without webhooks.
 */
export function pushesFor(
  partner: Partner | undefined,
  type: Parameters<typeof webhookBody>[0],
  n: Pick<NotificationRecord, "id" | "recipientId" | "dueBy">,
  at: Date,
): Delivery[] {
  const owners: WebhookOwner[] = ["partner"];
  if (type === "notification.overdue") owners.push("escalation_contact");
  return owners.flatMap((owner) => {
    const url = webhookUrl(partner, owner);
    if (url === undefined) return [];
    return [
      {
        id: `msg_${randomUUID()}`,
        partnerId: n.recipientId,
        notificationId: n.id,
        type,
        body: webhookBody(type, at, n),
        url,
        owner,
        createdAt: at.toISOString(),
        status: "pending" as const,
        attempts: [],
        retries: 0,
        nextAttemptAt: at.toISOString(),
        dueBy: n.dueBy,
      },
    ];
  });
}

function webhookUrl(partner: Partner | null | undefined, owner: WebhookOwner): string | undefined {
  return owner === "partner"
    ? (partner?.webhook?.url ?? undefined)
    : partner?.escalationContact?.webhook?.url;
}

/**
 * One sweep: every notification due and not acknowledged becomes overdue, exactly once, page
 * by page until the clock reaches `stopAt` (epoch ms; checked between pages, so every run
 * makes progress however slow the store): a backlog is worked off over several sweeps rather
 * than starving the push outbox that runs after it.
 */
export async function sweepOverdue(
  deps: TimelinessDeps,
  stopAt: number = Number.POSITIVE_INFINITY,
): Promise<number> {
  const now = deps.clock.now();
  let marked = 0;
  // One read per recipient per sweep, however many of its notifications are overdue.
  const partners = new Map<string, Promise<Partner | undefined>>();
  const recipient = (id: string) => {
    if (!partners.has(id))
      partners.set(
        id,
        deps.registry.getPartner(id).then((p) => p?.value),
      );
    return partners.get(id) as Promise<Partner | undefined>;
  };
  while (Date.now() < stopAt) {
    const due = await deps.timeliness.due("overdue", now.toISOString(), 50);
    let markedNow = 0;
    for (const n of due) {
      const parties = {
        recipient: await recipient(n.recipientId),
        discloser: await recipient(n.discloserId),
      };
      if (await markOverdue(deps, n, parties, now)) markedNow++;
    }
    marked += markedNow;
    // The due index is eventually consistent: a page of nothing but conflicts (items already
    // moved on) ends this run rather than spin on it; the next sweep sees the index settled.
    if (markedNow === 0) return marked;
  }
  return marked;
}

/** Unacknowledged → overdue, with one deadline_missed event, an escalation and the pushes; false on a conflict. */
async function markOverdue(
  deps: TimelinessDeps,
  n: NotificationRecord,
  parties: { recipient: Partner | undefined; discloser: Partner | undefined },
  now: Date,
) {
  const partner = parties.recipient;
  const at = now.toISOString();
  const event = sweepEvent(deps, "deadline_missed", n, at, "not_acknowledged_by_due_time");
  const escalation: Escalation = {
    id: `esc_due_${n.id}`,
    kind: "deadline_missed",
    discloserId: n.discloserId,
    notificationId: n.id,
    concernId: n.concernId,
    recipientId: n.recipientId,
    dueBy: n.dueBy,
    at,
  };
  const pushes = [
    ...pushesFor(partner, "notification.overdue", n, now),
    ...alertsOnOverdue(deps.alerts, partner, parties.discloser?.name ?? n.discloserId, n, now),
  ];
  // A conflict means it was acknowledged meanwhile: then it is not overdue.
  return (
    (await deps.timeliness.markOverdue({ ...n, status: "overdue" }, [event], escalation, pushes)) === "ok"
  );
}

/** Messages queued before they named their owner: the contact's if its URL is the one queued. */
function ownerOf(d: Delivery, partner: Partner | null | undefined): WebhookOwner {
  if (d.owner) return d.owner;
  const contactUrl = partner?.escalationContact?.webhook?.url;
  return contactUrl === d.url && partner?.webhook?.url !== d.url ? "escalation_contact" : "partner";
}

/**
 * One attempt, to the owner's URL as the registry has it now (a partner fixing or moving its
 * endpoint is heard at the next retry), signed with the owner's own secret. A partner whose
 * webhook has gone ends the message: there is nowhere to send it.
 */
async function attempt(deps: TimelinessDeps, claimed: Delivery, now: Date): Promise<Delivery> {
  const partner = (await deps.registry.getPartner(claimed.partnerId))?.value;
  const owner = ownerOf(claimed, partner);
  const url = webhookUrl(partner, owner);
  const timestamp = Math.floor(now.getTime() / 1000);
  const started = Date.now();
  if (url === undefined) {
    const attempts = [
      ...claimed.attempts,
      { at: now.toISOString(), status: null, error: "no_webhook", durationMs: 0 },
    ];
    return { ...claimed, owner, attempts, status: "failed", nextAttemptAt: null };
  }
  const secrets = await deps.registry.webhookSecrets(claimed.partnerId, owner);
  const result = secrets
    ? await deps.send(
        url,
        {
          "webhook-id": claimed.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signatureHeader(secrets, claimed.id, timestamp, claimed.body, now),
        },
        claimed.body,
        RECEIVER_TIMEOUT_MS,
      )
    : { status: null, error: "no_secret" };
  const attempts = [
    ...claimed.attempts,
    { at: now.toISOString(), ...result, durationMs: Date.now() - started },
  ];
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  return settle({ ...claimed, url, owner }, attempts, ok ? "sent" : "retry", deps.retrySchedule, now);
}

/** How long a worker holds a message it claimed: room for a receiver that answers at the last moment. */
const LEASE_MS = RECEIVER_TIMEOUT_MS + 15_000;

/** A message not delivered yet this close to its due time is escalated to the force (ids only). */
async function escalateIfFailing(deps: TimelinessDeps, done: Delivery): Promise<void> {
  // `scheduled` here is a reminder text whose send failed, waiting for its retry.
  const failing = done.status === "pending" || done.status === "failed" || done.status === "scheduled";
  if (!failing || Date.parse(done.dueBy) - deps.clock.now().getTime() > DELIVERY_ESCALATION_WINDOW_MS) return;
  const n = await deps.notifications.getNotification(done.notificationId);
  if (!n) return;
  await deps.timeliness.recordEscalation({
    id: `esc_push_${done.id}`,
    kind: "delivery_failing",
    discloserId: n.discloserId,
    notificationId: n.id,
    concernId: n.concernId,
    recipientId: n.recipientId,
    dueBy: n.dueBy,
    at: deps.clock.now().toISOString(),
  });
}

/** Claim, send and settle one message; false when another worker claimed it first. */
async function deliverOne(deps: TimelinessDeps, d: Delivery, now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const lease: Delivery = { ...d, nextAttemptAt: until, leasedUntil: until };
  if ((await deps.timeliness.saveDelivery(lease, d)) !== "ok") return false;
  const { leasedUntil: _held, ...done } = lease.alert
    ? await attemptAlert(deps, lease, deps.clock.now())
    : await attempt(deps, lease, deps.clock.now());
  // A conflict means the lease ran out mid-send and another worker holds the message now: it
  // settles it (and escalates if need be), so this attempt's record gives way.
  if ((await deps.timeliness.saveDelivery(done, lease)) === "ok") await escalateIfFailing(deps, done);
  return true;
}

/**
 * Send every message of one outbox queue that is due: partners' webhooks, or alerts for
 * people (on AWS only the function holding the Notify key drains that one). A worker claims
 * a message by moving its next attempt a lease ahead (conditionally: one worker wins), so a
 * message is never sent twice at once, and one whose worker died is taken up again when the
 * lease runs out.
 */
export async function deliverDue(deps: TimelinessDeps, queue: OutboxQueue = "webhooks"): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.timeliness.due(queue, now.toISOString(), 20);
  const claimed = await Promise.all(due.map((d) => deliverOne(deps, d, now)));
  return claimed.filter(Boolean).length;
}

export async function listDeliveries(deps: TimelinessDeps, caller: Caller, notificationId: string) {
  await ownNotification(deps, caller, notificationId);
  const deliveries = await deps.timeliness.deliveriesOf(notificationId);
  return { items: deliveries.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)), nextCursor: null };
}

/**
 * Whether a redelivery may move a message to now: not one delivered or cancelled, nor a
 * reminder text (its time is the school's morning and it goes only while the notification is
 * unopened, which the sweep checks: scheduled, retrying or failed, it is left alone), nor one
 * a worker is sending this moment (resetting its lease would let a second worker send it too).
 */
function redeliverable(d: Delivery, now: string): boolean {
  if (d.status === ACCEPTED || d.status === "cancelled" || d.status === "scheduled") return false;
  if (d.alert?.kind === "reminder") return false;
  return !(d.leasedUntil !== undefined && d.leasedUntil === d.nextAttemptAt && d.leasedUntil > now);
}

/** Send a notification's messages again now (a partner fixing its endpoint asks for this). */
export async function redeliver(deps: TimelinessDeps, caller: Caller, notificationId: string) {
  await ownNotification(deps, caller, notificationId);
  const now = deps.clock.now().toISOString();
  for (const d of await deps.timeliness.deliveriesOf(notificationId)) {
    if (!redeliverable(d, now)) continue;
    // Only if it is still as read: a conflict means a worker claimed (or settled) it since,
    // which is what a redelivery asks for anyway, so it is not an error.
    await deps.timeliness.saveDelivery({ ...d, status: "pending", nextAttemptAt: now }, d);
  }
  return listDeliveries(deps, caller, notificationId);
}

export function listEscalations(
  deps: TimelinessDeps,
  caller: Caller,
  cursor: string | undefined,
  limit: number,
) {
  return deps.timeliness.listEscalations(caller.partner.id, cursor, limit);
}
