import type { Alerts } from "../../shared/app/alerts.js";
import type { AlertMessage } from "../../shared/domain/alerts.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import type { Partner } from "../../shared/domain/registry.js";
import type { Delivery } from "../../shared/ports.js";

/** Alert fixtures the unit tests share: a school with a Key Adult, outbox rows, a Notify stand-in. */

export const CONFIG: Alerts["config"] = {
  consoleUrl: "https://console.lantern.example",
  emailTemplateId: "tmpl-email",
  smsTemplateId: "tmpl-sms",
  notifyBaseUrl: "https://api.notifications.service.gov.uk",
};

export function school(id: string, name: string): Partner {
  return {
    id,
    name,
    type: "school",
    areas: ["essex"],
    clientIds: ["school-app"],
    escalationContact: { name: "Duty Head", email: "duty.head@school.example" },
    keyAdults: [{ sub: "dsl", name: "Helen Carter", email: "helen@school.example", mobile: "+447700900123" }],
  };
}

/** The outbox message of a reminder text, as the submission queued it. */
export function reminder(): Delivery {
  return {
    id: "alt_1",
    partnerId: "st-marys-primary",
    notificationId: "ntf_1",
    type: "notification.reminder",
    body: JSON.stringify({ message: "m", link: "l" }),
    url: `${CONFIG.notifyBaseUrl}/v2/notifications/sms`,
    createdAt: "2026-11-20T21:52:00.000Z",
    status: "pending",
    attempts: [],
    retries: 0,
    nextAttemptAt: "2026-11-23T08:30:00.000Z",
    dueBy: "2026-11-23T09:00:00.000Z",
    alert: { kind: "reminder", channel: "sms", to: { kind: "key_adult", sub: "dsl" } },
  };
}

/** What sending an alert needs, with the notification in `status` and Notify answering `answer`. */
export function deps(options: { status?: string; answer?: number | null }) {
  const sent: AlertMessage[] = [];
  return {
    sent,
    deps: {
      registry: {
        getPartner: async () => ({
          value: { ...school("st-marys-primary", "St Mary's"), createdAt: "", updatedAt: "" },
          revision: 1,
        }),
      },
      notifications: {
        getNotification: async () =>
          ({ id: "ntf_1", concernId: "con_1", status: options.status ?? "delivered" }) as never,
      },
      alerts: {
        config: CONFIG,
        send: async (m: AlertMessage) => {
          sent.push(m);
          const status = options.answer === undefined ? 201 : options.answer;
          return {
            status,
            error: status === 201 ? null : `notify_${status}`,
            notifyId: status === 201 ? "notify-id-1" : null,
          };
        },
      },
      retrySchedule: [5_000, 60_000],
    },
  };
}

/** An outbox holding reminders, saved only when still as read (as the DynamoDB store does). */
export function outbox(rows: Delivery[]) {
  const store = new Map(rows.map((r) => [r.id, r]));
  return {
    store,
    due: async (queue: string, at: string, limit: number) =>
      [...store.values()]
        .filter((r) => queue === "reminders" && r.status === "scheduled" && (r.nextAttemptAt ?? "~") <= at)
        .slice(0, limit),
    saveDelivery: async (next: Delivery, expected: Delivery) => {
      const current = store.get(expected.id);
      if (current?.status !== expected.status || current.nextAttemptAt !== expected.nextAttemptAt)
        return "conflict" as const;
      store.set(next.id, next);
      return "ok" as const;
    },
  };
}

/** A trail in which the `opened` notifications have a `notification_opened` event. */
export const trail = (opened: string[]) => ({
  query: async () => ({
    items: opened.map((notificationId) => ({
      action: "notification_opened",
      notificationId,
    })) as AuditEvent[],
    nextCursor: null,
  }),
});

/** Every notification still waiting (delivered). */
export const notifications = {
  getNotification: async (id: string) => ({ id, concernId: "con_1", status: "delivered" }) as never,
};
