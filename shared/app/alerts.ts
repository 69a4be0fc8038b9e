import { randomUUID } from "node:crypto";
import {
  type AlertKind,
  type AlertRoute,
  type AlertSender,
  alertPersonalisation,
  consoleLink,
  reminderAt,
  schoolDayStart,
} from "../domain/alerts.js";
import type { Calendar } from "../domain/calendar.js";
import type { Partner, RoutingRule } from "../domain/registry.js";
import type { Delivery, NotificationRecord } from "../ports.js";

/**
 * Alerts for people: the outbox messages that email or text a school's Key Adults and a
 * partner's escalation contact through GOV.UK Notify. They are queued in the same
 * transaction as what they announce (the submission, the overdue mark), like webhooks.
 */

export interface AlertsConfig {
  /** The console's address: an alert links to `<consoleUrl>/notifications/{id}`. */
  consoleUrl: string;
  emailTemplateId: string;
  smsTemplateId: string;
  /** Notify's API (or a drill's double): where the deliveries listing says alerts go. */
  notifyBaseUrl: string;
}

/**
 * Alerts as a function has them: every function that queues alerts has the configuration;
 * only the one that sends them holds the Notify key (`send`).
 */
export interface Alerts {
  config: AlertsConfig;
  send?: AlertSender;
}

const TYPE_OF: Record<AlertKind, Delivery["type"]> = {
  created: "notification.created",
  overdue: "notification.overdue",
  reminder: "notification.reminder",
};

type Announced = Pick<NotificationRecord, "id" | "recipientId" | "dueBy">;

function alertMessage(
  config: AlertsConfig,
  n: Announced,
  route: AlertRoute,
  discloser: string,
  at: Date,
  firstAttemptAt: Date,
): Delivery {
  // A reminder waits, scheduled, for the sweep to check at its time that it is still needed.
  const status = route.kind === "reminder" ? "scheduled" : "pending";
  const personalisation = alertPersonalisation(route.kind, {
    discloser,
    dueBy: new Date(n.dueBy),
    link: consoleLink(config.consoleUrl, n.id),
  });
  return {
    id: `alt_${randomUUID()}`,
    partnerId: n.recipientId,
    notificationId: n.id,
    type: TYPE_OF[route.kind],
    body: JSON.stringify(personalisation),
    url: `${config.notifyBaseUrl.replace(/\/+$/, "")}/v2/notifications/${route.channel}`,
    createdAt: at.toISOString(),
    status,
    attempts: [],
    retries: 0,
    nextAttemptAt: firstAttemptAt.toISOString(),
    dueBy: n.dueBy,
    alert: route,
  };
}

/** What the submission knows when it queues a school's alerts. */
export interface Creation {
  notification: Announced;
  /** The recipient's registry record (alerts go only to a school's Key Adults). */
  recipient: Partner | undefined;
  /** The disclosing partner's name: the one thing an alert says about where it came from. */
  discloser: string;
  calendar: Pick<Calendar, "holidays" | "schoolHolidays">;
  /** The `at` of the `next_school_day` rules that routed the notification. */
  ruleAts: readonly string[];
  now: Date;
}

/**
 * On creation, for a school: an email to each Key Adult with an email address, now, and a
 * text to each with a mobile, 30 minutes before the school's day starts (sent then only if
 * the notification is still unopened). Nothing without Notify configured.
 */
export function alertsOnCreation(alerts: Alerts | null | undefined, c: Creation): Delivery[] {
  const school = c.recipient;
  if (!alerts || school?.type !== "school") return [];
  const remindAt = reminderAt(
    c.now,
    schoolDayStart(school.schoolDayStartsAt, c.ruleAts),
    c.calendar,
    school.closures,
  );
  // An email at once to each Key Adult with an address; a text at the reminder time to each with a mobile.
  const wanted = [
    { route: { kind: "created", channel: "email" }, has: "email", at: c.now },
    { route: { kind: "reminder", channel: "sms" }, has: "mobile", at: remindAt },
  ] as const;
  return (school.keyAdults ?? []).flatMap((adult) =>
    wanted
      .filter((w) => adult[w.has])
      .map((w) => {
        const route: AlertRoute = { ...w.route, to: { kind: "key_adult", sub: adult.sub } };
        return alertMessage(alerts.config, c.notification, route, c.discloser, c.now, w.at);
      }),
  );
}

/** On the overdue mark: an email to the recipient's escalation contact, if it has an address. */
export function alertsOnOverdue(
  alerts: Alerts | null | undefined,
  recipient: Partner | undefined,
  discloser: string,
  n: Announced,
  now: Date,
): Delivery[] {
  if (!alerts || !recipient?.escalationContact?.email) return [];
  const route: AlertRoute = { kind: "overdue", channel: "email", to: { kind: "escalation_contact" } };
  return [alertMessage(alerts.config, n, route, discloser, now, now)];
}

/** A submission's outcome, as far as its alerts need it. */
export interface Submission {
  notifications: readonly Announced[];
  partners: readonly Partner[];
  recipients: readonly { recipientId: string; ruleIds: readonly string[] }[];
  rules: readonly RoutingRule[];
  calendar: Pick<Calendar, "holidays" | "schoolHolidays">;
  discloser: string;
  now: Date;
}

/** Every alert a submission queues, beside its webhooks, in its own transaction. */
export function submissionAlerts(alerts: Alerts | null | undefined, s: Submission): Delivery[] {
  if (!alerts) return [];
  return s.notifications.flatMap((notification) => {
    const ruleIds = new Set(s.recipients.find((r) => r.recipientId === notification.recipientId)?.ruleIds);
    const ruleAts = s.rules.flatMap((r) =>
      ruleIds.has(r.id) && r.due.kind === "next_school_day" ? [r.due.at] : [],
    );
    return alertsOnCreation(alerts, {
      notification,
      recipient: s.partners.find((p) => p.id === notification.recipientId),
      discloser: s.discloser,
      calendar: s.calendar,
      ruleAts,
      now: s.now,
    });
  });
}
