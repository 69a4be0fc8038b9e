import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertsOnOverdue, submissionAlerts } from "../../shared/app/alerts.js";
import { attemptAlert } from "../../shared/app/alerts-delivery.js";
import { releaseReminders } from "../../shared/app/alerts-reminders.js";
import { mayRemind, reminderAt, sendOutcome, ukMobile } from "../../shared/domain/alerts.js";
import { defaultCalendar } from "../../shared/domain/calendar.js";
import { PartnerSchema } from "../../shared/domain/registry.js";
import type { Delivery } from "../../shared/ports.js";
import { CONFIG, deps, notifications, outbox, reminder, school, trail } from "../support/alert-fixtures.js";

const NO_HOLIDAYS = { holidays: [], schoolHolidays: [] };

/** A value no sentence of an alert could hold by chance: a capitalised word ending in digits. */
const marked = fc.stringMatching(/^[A-Z][a-z]{3,8}[0-9]{3}$/);
const slugged = fc.stringMatching(/^[a-z]{4,8}-[a-z]{3,6}[0-9]{2}$/);

/** Generated concerns: every member a person could recognise the child by. */
const concerns = fc.record({
  concernType: fc.constantFrom("domestic_abuse_child_present", "neglect_or_abuse", "missing_child"),
  riskRating: fc.constantFrom("red", "amber", "green"),
  occurredAt: fc
    .date({ min: new Date("2020-01-01"), max: new Date("2026-11-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  area: slugged,
  subject: fc.record({
    givenName: marked,
    familyName: marked,
    dateOfBirth: fc
      .date({ min: new Date("2008-01-01"), max: new Date("2024-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    nhsNumber: fc.stringMatching(/^[0-9]{10}$/),
    address: fc.record({ line1: marked, postcode: fc.stringMatching(/^[A-Z]{2}[0-9] [0-9][A-Z]{2}$/) }),
    schoolId: slugged,
    specialCategory: fc.record({ health: marked, ethnicity: marked }),
  }),
  incident: fc.record({
    summary: marked,
    location: marked,
    crimeReference: marked,
    offences: fc.array(marked),
  }),
  riskFactors: fc.array(marked, { maxLength: 3 }),
  voiceOfChild: fc.record({ seen: fc.boolean(), spokenTo: fc.boolean(), views: marked }),
  officer: fc.record({ name: marked, collarNumber: fc.stringMatching(/^[0-9]{5}$/), phone: marked }),
  schoolName: marked,
});

/** Every string (and number) the concern holds, however deep. */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

describe("what an alert says", () => {
  it("holds no member of the concern, for every kind of alert (property over generated concerns)", () => {
    fc.assert(
      fc.property(concerns, (concern) => {
        // Prepare: the notification as the store holds it, payload (the whole concern) and all.
        const recipient = school(concern.subject.schoolId, concern.schoolName);
        const notification = {
          id: "ntf_00000000-0000-4000-8000-000000000001",
          recipientId: recipient.id,
          dueBy: "2026-11-23T09:00:00.000Z",
          concernType: concern.concernType,
          area: concern.area,
          subjectDateOfBirth: concern.subject.dateOfBirth,
          occurredAt: concern.occurredAt,
          payload: concern,
        };
        const now = new Date("2026-11-20T21:52:00Z");

        // Act
        const rows = [
          ...submissionAlerts(
            { config: CONFIG },
            {
              notifications: [notification],
              partners: [recipient],
              recipients: [{ recipientId: recipient.id, ruleIds: ["encompass-school"] }],
              rules: [],
              calendar: NO_HOLIDAYS,
              discloser: "Essex Police",
              now,
            },
          ),
          ...alertsOnOverdue({ config: CONFIG }, recipient, "Essex Police", notification, now),
        ];

        // Assess: all three kinds; what goes to Notify (the personalisation, the reference,
        // where it is sent) holds no value of the concern and no address.
        expect(rows.map((r) => r.alert?.kind).sort()).toEqual(["created", "overdue", "reminder"]);
        for (const row of rows) {
          const text = JSON.stringify([row.body, row.id, row.url]).toLowerCase();
          for (const value of leaves(concern)) {
            const word = new RegExp(
              `(^|[^a-z0-9])${value.toLowerCase().replace(/[^a-z0-9]/g, "\\$&")}([^a-z0-9]|$)`,
            );
            expect(word.test(text), `${value} in ${row.alert?.kind}`).toBe(false);
          }
          expect(text).not.toContain("helen@school.example");
          expect(text).not.toContain("7700900123");
          expect(text).not.toContain("duty.head");
        }
      }),
      { numRuns: 200 },
    );
    // 200 generated concerns take a few seconds on a busy machine.
  }, 30_000);

  it("names the discloser, the due time on London's clock and the console link", () => {
    const [row] = alertsOnOverdue(
      { config: CONFIG },
      school("st-marys-primary", "St Mary's"),
      "Essex Police",
      { id: "ntf_1", recipientId: "st-marys-primary", dueBy: "2026-07-06T08:00:00.000Z" },
      new Date("2026-07-06T08:00:00Z"),
    );
    expect(JSON.parse(row?.body ?? "{}")).toEqual({
      subject_line: "Overdue safeguarding notification from Essex Police",
      message:
        "A safeguarding notification from Essex Police to your team was due by 09:00 on Monday 6 July 2026 and has not been acknowledged.",
      discloser: "Essex Police",
      due: "09:00 on Monday 6 July 2026",
      link: "https://console.lantern.example/notifications/ntf_1",
    });
  });
});

describe("when the reminder text goes", () => {
  it("is 30 minutes before the school's day, across the autumn change to GMT", () => {
    // Friday 23 October 2026, 20:00 BST; clocks go back on Sunday 25th; Monday 09:00 is GMT.
    expect(reminderAt(new Date("2026-10-23T19:00:00Z"), "09:00", NO_HOLIDAYS).toISOString()).toBe(
      "2026-10-26T08:30:00.000Z",
    );
  });

  it("is 30 minutes before the school's day, across the spring change to BST", () => {
    // Friday 27 March 2026, 21:00 GMT; clocks go forward on Sunday 29th; Monday 09:00 is BST.
    expect(reminderAt(new Date("2026-03-27T21:00:00Z"), "09:00", NO_HOLIDAYS).toISOString()).toBe(
      "2026-03-30T07:30:00.000Z",
    );
  });

  it("skips the school's own closure and the area's bank holidays, and uses its own start", () => {
    const calendar = defaultCalendar("essex");
    // Friday 28 August 2026 evening; Monday 31st is the summer bank holiday; Tuesday an INSET day.
    const at = reminderAt(new Date("2026-08-28T18:00:00Z"), "08:45", calendar, ["2026-09-01"]);
    expect(at.toISOString()).toBe("2026-09-02T07:15:00.000Z");
  });

  it("goes at once when the notification arrives within the 30 minutes", () => {
    const created = new Date("2026-11-23T08:40:00Z");
    expect(reminderAt(created, "09:00", NO_HOLIDAYS)).toEqual(created);
  });

  it("is one text per Key Adult with a mobile, and none for an overdue notification", () => {
    const recipient = school("st-marys-primary", "St Mary's");
    recipient.keyAdults = [
      { sub: "a", name: "A", mobile: "+447700900001" },
      { sub: "b", name: "B", email: "b@school.example" },
      { sub: "c", name: "C", mobile: "+447700900003", email: "c@school.example" },
    ];
    const n = { id: "ntf_1", recipientId: recipient.id, dueBy: "2026-11-23T09:00:00.000Z" };
    const rows = submissionAlerts(
      { config: CONFIG },
      {
        notifications: [n],
        partners: [recipient],
        recipients: [{ recipientId: recipient.id, ruleIds: [] }],
        rules: [],
        calendar: NO_HOLIDAYS,
        discloser: "Essex Police",
        now: new Date("2026-11-20T21:52:00Z"),
      },
    );
    const texts = rows.filter((r) => r.alert?.channel === "sms");
    expect(texts.map((r) => r.alert?.to)).toEqual([
      { kind: "key_adult", sub: "a" },
      { kind: "key_adult", sub: "c" },
    ]);
    expect(texts.every((r) => r.nextAttemptAt === "2026-11-23T08:30:00.000Z")).toBe(true);
    expect(rows.filter((r) => r.alert?.channel === "email")).toHaveLength(2);
    expect(alertsOnOverdue({ config: CONFIG }, recipient, "Essex Police", n, new Date())).toHaveLength(1);
    expect(
      alertsOnOverdue({ config: CONFIG }, recipient, "Essex Police", n, new Date())[0]?.alert?.channel,
    ).toBe("email");
  });

  it("queues nothing without Notify configured", () => {
    const recipient = school("st-marys-primary", "St Mary's");
    const n = { id: "ntf_1", recipientId: recipient.id, dueBy: "2026-11-23T09:00:00.000Z" };
    expect(alertsOnOverdue(null, recipient, "Essex Police", n, new Date())).toEqual([]);
    expect(
      submissionAlerts(null, {
        notifications: [n],
        partners: [recipient],
        recipients: [],
        rules: [],
        calendar: NO_HOLIDAYS,
        discloser: "Essex Police",
        now: new Date(),
      }),
    ).toEqual([]);
  });
});

describe("sending an alert", () => {
  const now = new Date("2026-11-23T08:30:01Z");

  it("sends the reminder while unopened, recording Notify's id and never the address", async () => {
    const { deps: d, sent } = deps({});
    const done = await attemptAlert(d, reminder(), now);
    expect(sent).toEqual([
      {
        channel: "sms",
        templateId: "tmpl-sms",
        to: "+447700900123",
        personalisation: { message: "m", link: "l" },
        reference: "alt_1",
      },
    ]);
    expect(done.status).toBe("delivered");
    expect(done.attempts).toEqual([expect.objectContaining({ status: 201, notifyId: "notify-id-1" })]);
    expect(JSON.stringify(done)).not.toContain("7700900123");
  });

  it("sends no reminder for a notification acknowledged or recalled since the sweep released it", async () => {
    for (const status of ["acknowledged", "closed", "recalled"]) {
      const { deps: d, sent } = deps({ status });
      const done = await attemptAlert(d, { ...reminder(), status: "pending" }, now);
      expect(sent).toEqual([]);
      expect(done).toMatchObject({ status: "cancelled", nextAttemptAt: null });
    }
    expect(mayRemind("overdue", false)).toBe(true);
    expect(mayRemind("delivered", true)).toBe(false);
  });

  it("ends on a Notify 4xx other than 429, and retries 429, 5xx and no answer on the schedule", async () => {
    const failed = await attemptAlert(deps({ answer: 400 }).deps, reminder(), now);
    expect(failed).toMatchObject({ status: "failed", nextAttemptAt: null, retries: 0 });
    // An email (a reminder retried waits `scheduled` for the sweep: see alerts-retry.test.ts).
    const email: Delivery = {
      ...reminder(),
      alert: { kind: "created", channel: "email", to: { kind: "key_adult", sub: "dsl" } },
    };
    for (const answer of [429, 500, 503, null]) {
      const retried = await attemptAlert(deps({ answer }).deps, email, now);
      expect(retried.status).toBe("pending");
      expect(retried.retries).toBe(1);
      expect(Date.parse(retried.nextAttemptAt as string) - now.getTime()).toBeGreaterThanOrEqual(5_000);
    }
    expect([sendOutcome(201), sendOutcome(403), sendOutcome(429), sendOutcome(502)]).toEqual([
      "sent",
      "permanent",
      "retry",
      "retry",
    ]);
  });

  it("fails an alert whose Key Adult no longer has an address, without sending", async () => {
    const { deps: d, sent } = deps({});
    const gone = {
      ...reminder(),
      alert: { kind: "reminder", channel: "sms", to: { kind: "key_adult", sub: "left" } },
    };
    const done = await attemptAlert(d, gone as Delivery, now);
    expect(sent).toEqual([]);
    expect(done).toMatchObject({ status: "failed", attempts: [{ error: "no_address" }] });
  });
});

describe("the sweep's release of reminders", () => {
  const at = new Date("2026-11-23T08:30:00Z");
  const row = (id: string, notificationId: string): Delivery => ({
    ...reminder(),
    id,
    notificationId,
    status: "scheduled",
  });
  it("releases a due reminder while unopened, once, and cancels one whose notification was opened", async () => {
    const timeliness = outbox([row("alt_a", "ntf_unopened"), row("alt_b", "ntf_opened")]);
    const d = { clock: { now: () => at }, timeliness, notifications, audit: trail(["ntf_opened"]) };
    expect(await releaseReminders(d)).toBe(1);
    expect(timeliness.store.get("alt_a")).toMatchObject({
      status: "pending",
      nextAttemptAt: at.toISOString(),
    });
    expect(timeliness.store.get("alt_b")).toMatchObject({ status: "cancelled", nextAttemptAt: null });
    // Later sweeps find nothing more to release: one reminder only.
    expect(await releaseReminders(d)).toBe(0);
    expect(timeliness.store.get("alt_a")?.attempts).toEqual([]);
  });

  it("leaves a reminder scheduled until its time", async () => {
    const timeliness = outbox([{ ...row("alt_a", "ntf_1"), nextAttemptAt: "2026-11-23T08:30:01.000Z" }]);
    expect(
      await releaseReminders({ clock: { now: () => at }, timeliness, notifications, audit: trail([]) }),
    ).toBe(0);
    expect(timeliness.store.get("alt_a")?.status).toBe("scheduled");
  });
});

describe("Key Adults' contact details", () => {
  const base = { id: "st-marys-primary", name: "St Mary's", type: "school", areas: ["essex"], clientIds: [] };

  it("normalises a UK mobile to E.164 and refuses anything else", () => {
    expect(
      ["07700 900123", "+44 7700 900123", "+44 (0)7700-900123", "0044 7700 900123"].map(ukMobile),
    ).toEqual(Array(4).fill("+447700900123"));
    expect(["01245 000000", "+33 6 12 34 56 78", "0770090012", "not a number"].map(ukMobile)).toEqual(
      Array(4).fill(null),
    );
    const parsed = PartnerSchema.parse({
      ...base,
      keyAdults: [{ sub: "dsl", name: "H", mobile: "07700 900123" }],
    });
    expect(parsed.keyAdults?.[0]?.mobile).toBe("+447700900123");
  });

  it("refuses a Key Adult's malformed email or mobile", () => {
    for (const adult of [
      { sub: "dsl", name: "H", email: "not-an-email" },
      { sub: "dsl", name: "H", mobile: "01245 000000" },
    ]) {
      expect(PartnerSchema.safeParse({ ...base, keyAdults: [adult] }).success).toBe(false);
    }
  });
});
