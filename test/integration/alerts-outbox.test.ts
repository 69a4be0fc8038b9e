import { beforeAll, describe, expect, it } from "vitest";
import type { AlertsConfig } from "../../shared/app/alerts.js";
import { releaseReminders } from "../../shared/app/alerts-reminders.js";
import type { Caller } from "../../shared/app/context.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { submitConcern } from "../../shared/app/submit-concern.js";
import { deliverDue, redeliver, type TimelinessDeps } from "../../shared/app/timeliness.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { AlertMessage, AlertSender } from "../../shared/domain/alerts.js";
import type { Partner } from "../../shared/domain/registry.js";
import type { Delivery } from "../../shared/ports.js";
import { amyConcern } from "../support/fixtures.js";
import { freshStore } from "../support/store.js";

const CONFIG: AlertsConfig = {
  consoleUrl: "https://console.lantern.example",
  emailTemplateId: "tmpl-email",
  smsTemplateId: "tmpl-sms",
  notifyBaseUrl: "https://api.notifications.service.gov.uk",
};
const partner = (id: string) => DEMO_PARTNERS.find((p) => p.id === id) as Partner;
const keyAdult = { sub: "dsl", name: "Helen Carter", email: "helen@school.example", mobile: "+447700900123" };
const caller = (p: Partner, scope: string): Caller => ({
  partner: p,
  sub: "user-1",
  clientId: p.clientIds[0] as string,
  scopes: new Set([scope]),
  requestId: "req-1",
});

/**
 * GOV.UK Notify as the outbox sees it: each send answered by `answer` (201 unless it says
 * otherwise), the first held open until `release()` if asked, so a test can act while a
 * worker is sending.
 */
function notify(answer: (m: AlertMessage) => number = () => 201, holdFirst = false) {
  const sent: AlertMessage[] = [];
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let arrived = () => {};
  const inFlight = new Promise<void>((r) => {
    arrived = r;
  });
  const send: AlertSender = async (message) => {
    sent.push(message);
    if (holdFirst && sent.length === 1) {
      arrived();
      await held;
    }
    const status = answer(message);
    return {
      status,
      error: status === 201 ? null : `notify_${status}`,
      notifyId: status === 201 ? "n-1" : null,
    };
  };
  return { sent, send, inFlight, release: () => release() };
}

describe("the alert outbox against DynamoDB Local, with a redelivery asked for meanwhile", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  const school = { ...partner("st-marys-primary"), keyAdults: [keyAdult] };
  const worker = (send: AlertSender, now?: Date): TimelinessDeps => ({
    ...store,
    ...(now ? { clock: { now: () => now } } : {}),
    send: async () => {
      throw new Error("no webhook is sent here");
    },
    alerts: { config: CONFIG, send },
    retrySchedule: [60_000, 120_000],
  });
  /** Submit Amy's concern (alerts queued with it); the school's notification and its alerts. */
  async function submitted() {
    const receipt = (
      await submitConcern(
        { ...store, subjectKey: Buffer.alloc(32, 7), alerts: { config: CONFIG } },
        caller(partner("essex-police"), "concerns:submit"),
        amyConcern(),
        undefined,
      )
    ).body as { notifications: { id: string; recipientId: string }[] };
    const id = receipt.notifications.find((n) => n.recipientId === school.id)?.id as string;
    const alert = async (kind: string) =>
      (await store.timeliness.deliveriesOf(id)).find((d) => d.alert?.kind === kind) as Delivery;
    return { id, alert };
  }

  beforeAll(async () => {
    store = await freshStore({ seed: false });
    const partners = DEMO_PARTNERS.map((p) => (p.id === school.id ? school : p));
    await seedRegistry(store, { partners, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES });
  });

  it("leaves an alert a worker is sending alone, so no second worker sends it too", async () => {
    const { id, alert } = await submitted();
    const notifyA = notify(() => 201, true);
    const sending = deliverDue(worker(notifyA.send), "alerts");
    await notifyA.inFlight;
    const leased = await alert("created");

    const asked = await redeliver(worker(notify().send), caller(school, "notifications:respond"), id);
    const notifyB = notify();
    const second = await deliverDue(worker(notifyB.send), "alerts");

    expect(notifyB.sent).toEqual([]);
    expect(second).toBe(0);
    expect(asked.items.find((d) => d.id === leased.id)?.nextAttemptAt).toBe(leased.nextAttemptAt);
    notifyA.release();
    expect(await sending).toBe(1);
    const done = await alert("created");
    expect(done).toMatchObject({ status: "delivered", nextAttemptAt: null, attempts: [{ status: 201 }] });
    expect(done.leasedUntil).toBeUndefined();
    expect(notifyA.sent).toHaveLength(1);
  });

  it("still sends now an alert waiting for its retry, but never a reminder text that failed", async () => {
    const { id, alert } = await submitted();
    expect(await deliverDue(worker(notify(() => 500).send), "alerts")).toBe(1);
    expect(await alert("created")).toMatchObject({ status: "pending", retries: 1 });

    await redeliver(worker(notify().send), caller(school, "notifications:respond"), id);
    const now = notify();
    await deliverDue(worker(now.send), "alerts");

    expect(now.sent.map((m) => m.channel)).toEqual(["email"]);
    expect(await alert("created")).toMatchObject({ status: "delivered", retries: 1 });

    // The morning: the reminders are released and Notify refuses every text for good.
    const morning = new Date((await alert("reminder")).nextAttemptAt as string);
    await releaseReminders({ ...worker(notify().send, morning), audit: store.audit });
    const refusing = notify((m) => (m.channel === "sms" ? 400 : 201));
    await deliverDue(worker(refusing.send, morning), "alerts");
    expect(refusing.sent.map((m) => m.reference)).toContain((await alert("reminder")).id);
    expect(await alert("reminder")).toMatchObject({ status: "failed", nextAttemptAt: null });

    await redeliver(worker(notify().send), caller(school, "notifications:respond"), id);
    const after = notify();
    await deliverDue(worker(after.send, morning), "alerts");

    expect(after.sent).toEqual([]);
    expect(await alert("reminder")).toMatchObject({ status: "failed", nextAttemptAt: null });
  });
});
