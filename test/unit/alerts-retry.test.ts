import { describe, expect, it } from "vitest";
import { attemptAlert } from "../../shared/app/alerts-delivery.js";
import { releaseReminders } from "../../shared/app/alerts-reminders.js";
import type { Delivery } from "../../shared/ports.js";
import { deps, notifications, outbox, reminder, trail } from "../support/alert-fixtures.js";

describe("retrying a reminder text", () => {
  const first = new Date("2026-11-23T08:30:01Z");

  it("puts a reminder whose send failed back to scheduled at its retry time, for the sweep to check again", async () => {
    const { deps: d, sent } = deps({ answer: 500 });

    const failed = await attemptAlert(d, reminder(), first);

    expect(sent).toHaveLength(1);
    expect(failed).toMatchObject({ status: "scheduled", retries: 1, attempts: [{ status: 500 }] });
    const retryAt = Date.parse(failed.nextAttemptAt as string) - first.getTime();
    expect(retryAt).toBeGreaterThanOrEqual(5_000);
    expect(retryAt).toBeLessThanOrEqual(5_500);
  });

  it("sends no retry once the notification was opened after the failure: the sweep cancels it, keeping the attempt", async () => {
    const { deps: d, sent } = deps({ answer: 500 });
    const failed = await attemptAlert(d, reminder(), first);
    const timeliness = outbox([failed]);
    const later = new Date(Date.parse(failed.nextAttemptAt as string) + 1);
    const sweep = { clock: { now: () => later }, timeliness, notifications, audit: trail(["ntf_1"]) };

    expect(await releaseReminders(sweep)).toBe(0);

    const stored = timeliness.store.get("alt_1") as Delivery;
    expect(stored).toMatchObject({ status: "cancelled", nextAttemptAt: null, retries: 1 });
    expect(stored.attempts.map((a) => [a.status, a.error])).toEqual([
      [500, "notify_500"],
      [null, "not_needed"],
    ]);
    expect(sent).toHaveLength(1);
  });

  it("releases the retry while still unopened, not before its time, and it is then sent", async () => {
    const failed = await attemptAlert(deps({ answer: 500 }).deps, reminder(), first);
    const timeliness = outbox([failed]);
    const at = (ms: number) => ({
      clock: { now: () => new Date(Date.parse(failed.nextAttemptAt as string) + ms) },
      timeliness,
      notifications,
      audit: trail([]),
    });

    expect(await releaseReminders(at(-1))).toBe(0);
    expect(await releaseReminders(at(0))).toBe(1);

    const released = timeliness.store.get("alt_1") as Delivery;
    expect(released).toMatchObject({ status: "pending", retries: 1 });
    const { deps: d, sent } = deps({});
    expect(await attemptAlert(d, released, new Date())).toMatchObject({ status: "delivered" });
    expect(sent).toHaveLength(1);
  });
});

describe("retrying an overdue email to the escalation contact", () => {
  /** The overdue email, its first send answered 500, now due for its retry. */
  const overdueEmail = (): Delivery => ({
    ...reminder(),
    id: "alt_2",
    type: "notification.overdue",
    url: "https://api.notifications.service.gov.uk/v2/notifications/email",
    retries: 1,
    attempts: [{ at: "2026-11-23T09:00:01.000Z", status: 500, error: "notify_500", durationMs: 3 }],
    alert: { kind: "overdue", channel: "email", to: { kind: "escalation_contact" } },
  });
  const now = new Date("2026-11-23T09:00:07Z");

  it("is not sent once the notification was acknowledged, closed or recalled after it went overdue", async () => {
    for (const status of ["acknowledged", "closed", "recalled"]) {
      const { deps: d, sent } = deps({ status });

      const done = await attemptAlert(d, overdueEmail(), now);

      expect(sent, status).toEqual([]);
      expect(done).toMatchObject({ status: "cancelled", nextAttemptAt: null });
      expect(done.attempts.map((a) => a.error)).toEqual(["notify_500", "not_needed"]);
    }
  });

  it("is sent while the notification is still overdue", async () => {
    const { deps: d, sent } = deps({ status: "overdue" });

    const done = await attemptAlert(d, overdueEmail(), now);

    expect(sent.map((m) => [m.channel, m.to, m.templateId])).toEqual([
      ["email", "duty.head@school.example", "tmpl-email"],
    ]);
    expect(done.status).toBe("delivered");
  });
});

describe("retrying the email on creation", () => {
  const createdEmail = (): Delivery => ({
    ...reminder(),
    id: "alt_3",
    type: "notification.created",
    retries: 1,
    attempts: [{ at: "2026-11-20T21:52:01.000Z", status: 503, error: "notify_503", durationMs: 3 }],
    alert: { kind: "created", channel: "email", to: { kind: "key_adult", sub: "dsl" } },
  });
  const now = new Date("2026-11-20T21:52:07Z");

  it("is not sent once the notification was recalled, and is while it is still there to read", async () => {
    const recalled = deps({ status: "recalled" });
    const done = await attemptAlert(recalled.deps, createdEmail(), now);
    expect(recalled.sent).toEqual([]);
    expect(done).toMatchObject({ status: "cancelled", nextAttemptAt: null });

    for (const status of ["delivered", "acknowledged", "overdue"]) {
      const waiting = deps({ status });
      expect((await attemptAlert(waiting.deps, createdEmail(), now)).status, status).toBe("delivered");
      expect(waiting.sent.map((m) => m.to)).toEqual(["helen@school.example"]);
    }
  });
});
