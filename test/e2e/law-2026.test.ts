import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema, NotificationSchema } from "../../shared/api/schemas.js";
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "../../shared/domain/bank-holidays.js";
import type { ConcernSubmission } from "../../shared/domain/concern.js";
import { londonParts } from "../../shared/domain/time.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * The law as it stands in 2026, over HTTP with real signed tokens: the Encompass duty for a
 * child on no school's roll, the consistent identifier (NHS number) and the bank holidays.
 */
describe("the law as it stands in 2026, over HTTP", () => {
  let hub: Hub;
  let police: string;
  let edt: string;
  let ig: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1234");
    edt = await hub.token("essex-edt-app", "notifications:read notifications:respond", "edt-1");
    ig = await hub.token(
      "essex-police-ig",
      "audit:read audit:review routing:manage partners:manage partners:read",
      "ig-1",
    );
  });
  afterAll(async () => {
    await hub.stop();
  });

  const child = (
    subject: Partial<ConcernSubmission["subject"]>,
    overrides: Partial<ConcernSubmission> = {},
  ) => {
    const concern = amyConcern(overrides);
    return { ...concern, subject: { ...concern.subject, ...subject } };
  };

  it("tells essex-edt, under encompass-essex-la, about a home-educated child: identity, education, voice of the child", async () => {
    // Act
    const submitted = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: child({ givenName: "Harriet", educationStatus: "home_educated", schoolId: undefined }),
    });

    // Assess
    expect(submitted.status).toBe(201);
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    expect(receipt.notifications.map((n) => n.recipientId).sort()).toEqual(["essex-edt", "essex-mash"]);
    const toLa = receipt.notifications.find((n) => n.recipientId === "essex-edt");
    expect(toLa?.agreement).toEqual({ id: "encompass-essex-la", version: 1 });
    expect(toLa?.dataCategories).toEqual(["identity", "education", "voice_of_child"]);
    const opened = await call(hub, "GET", `/v1/notifications/${toLa?.id}`, { token: edt });
    expect(opened.status).toBe(200);
    expect(NotificationSchema.parse(opened.json).payload).toEqual({
      subject: {
        subjectId: receipt.subjectId,
        givenName: "Harriet",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
      },
      voiceOfChild: amyConcern().voiceOfChild,
    });
    expect(opened.text).not.toContain("Any Street");
    expect(opened.text).not.toContain("Common assault");
  });

  it("refuses an invalid NHS number with a 400 naming /subject/nhsNumber, and writes nothing", async () => {
    // Act
    const refused = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: child({ nhsNumber: "9434765918" }),
    });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.json.errors).toEqual([{ path: "/subject/nhsNumber", message: expect.any(String) }]);
    expect(refused.text).not.toContain("9434765918");
  });

  it("links concerns by NHS number, including one submitted before the number was known", async () => {
    // Prepare: Ruby, first without her NHS number, then with it, then with a misspelt name.
    const ruby = { givenName: "Ruby", familyName: "Sample", dateOfBirth: "2015-06-09" };
    const submit = async (subject: Partial<ConcernSubmission["subject"]>) => {
      const response = await call(hub, "POST", "/v1/concerns", { token: police, body: child(subject) });
      expect(response.status).toBe(201);
      return ConcernReceiptSchema.parse(response.json);
    };
    const before = await submit(ruby);
    const withNumber = await submit({ ...ruby, nhsNumber: "943 476 5919" });
    const misspelt = await submit({ ...ruby, familyName: "Sampel", nhsNumber: "9434765919" });
    const namesake = await submit({ ...ruby, nhsNumber: "9434765080" });

    // Act
    const report = await call(hub, "GET", `/v1/audit/subjects/${before.subjectId}`, { token: ig });

    // Assess
    expect(withNumber.subjectId).toBe(before.subjectId);
    expect(misspelt.subjectId).toBe(before.subjectId);
    expect(namesake.subjectId).not.toBe(before.subjectId);
    expect(report.status).toBe(200);
    const concerns = new Set((report.json.disclosures as { concernId: string }[]).map((d) => d.concernId));
    expect(concerns).toEqual(new Set([before.id, withNumber.id, misspelt.id]));
    expect(report.text).not.toContain("9434765919");
    const trail = await call(hub, "GET", "/v1/audit/export", { token: ig });
    expect(trail.text).not.toContain("9434765919");
    expect(trail.text).not.toContain("943 476 5919");
  });

  it("lists the bank holidays of England and Wales in every area's calendar", async () => {
    // Act
    const essex = await call(hub, "GET", "/v1/calendars/essex", { token: ig });
    const southend = await call(hub, "GET", "/v1/calendars/southend", { token: ig });

    // Assess
    expect(essex.status).toBe(200);
    expect(essex.json.holidays).toEqual([...ENGLAND_AND_WALES_BANK_HOLIDAYS]);
    expect(essex.json.holidays).toEqual(expect.arrayContaining(["2026-12-25", "2026-12-28", "2027-03-26"]));
    expect(southend.json.holidays).toEqual(essex.json.holidays);
  });

  it("refuses an empty rule set and a duration over 366 days, keeping the rules in force", async () => {
    // Prepare
    const current = await call(hub, "GET", "/v1/routing-rules", { token: ig });
    const rules = current.json.rules as { due: Record<string, unknown> }[];
    const tooLong = structuredClone(rules);
    (tooLong[0] as { due: Record<string, unknown> }).due = { kind: "after", duration: "P99999999W" };

    // Act
    const empty = await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: { rules: [] } });
    const long = await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: { rules: tooLong } });
    const after = await call(hub, "GET", "/v1/routing-rules", { token: ig });

    // Assess
    expect(empty.status).toBe(400);
    expect(empty.json.errors).toEqual([
      { path: "/rules", message: expect.stringContaining("routes nobody") },
    ]);
    expect(long.status).toBe(400);
    expect(long.json.errors).toEqual([
      { path: "/rules/0/due/duration", message: expect.stringContaining("366") },
    ]);
    expect(after.json.rules).toEqual(rules);
  });
  it("withholds a school route: no notification, listed under withheld, audited without the justification, in IG's queue", async () => {
    // Prepare
    const justification = "Mother fears the school office will tell the father, who collects Amy";
    const school = await hub.token("st-marys-primary-app", "notifications:read", "dsl-1");
    const inboxBefore = await call(hub, "GET", "/v1/notifications", { token: school });

    // Act
    const submitted = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: child({ givenName: "Wendy" }, { withhold: [{ recipientId: "st-marys-primary", justification }] }),
    });

    // Assess: the receipt and the school's inbox
    expect(submitted.status).toBe(201);
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    expect(receipt.notifications.map((n) => n.recipientId)).toEqual(["essex-mash"]);
    expect(receipt.withheld).toEqual([{ recipientId: "st-marys-primary", reason: "more_detrimental" }]);
    expect(receipt.refusals).toEqual([]);
    const inboxAfter = await call(hub, "GET", "/v1/notifications", { token: school });
    expect(inboxAfter.json.items).toEqual(inboxBefore.json.items);
    const status = await call(hub, "GET", `/v1/concerns/${receipt.id}`, { token: police });
    expect(status.json.withheld).toEqual(receipt.withheld);

    // Assess: the trail
    const events = await call(hub, "GET", `/v1/audit/events?concernId=${receipt.id}`, { token: ig });
    const decision = (events.json.items as Record<string, unknown>[]).find(
      (e) => e.action === "disclosure_withheld",
    );
    expect(decision).toMatchObject({
      recipientId: "st-marys-primary",
      reason: "more_detrimental",
      notificationId: null,
      subjectId: receipt.subjectId,
    });
    const trail = await call(hub, "GET", "/v1/audit/export", { token: ig });
    expect(trail.text).toContain("disclosure_withheld");
    expect(trail.text).not.toContain("father");

    // Assess: IG's review queue, reviewed by someone other than the officer
    const queue = await call(hub, "GET", "/v1/audit/reviews?status=pending&limit=100", { token: ig });
    const review = (queue.json.items as Record<string, unknown>[]).find((r) => r.concernId === receipt.id);
    expect(review).toMatchObject({
      kind: "withheld",
      recipientId: "st-marys-primary",
      justification,
      status: "pending",
      disclosedBy: { partnerId: "essex-police", sub: "pc-1234" },
    });
    const reviewed = await call(hub, "POST", `/v1/audit/reviews/${review?.id}`, {
      token: ig,
      body: { finding: "justified" },
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json.status).toBe("reviewed");
  });

  it("refuses to withhold from a recipient the concern does not route to, and writes nothing", async () => {
    // Prepare
    const before = await call(hub, "GET", "/v1/audit/export", { token: ig });

    // Act
    const refused = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: child(
        { givenName: "Nadia", nhsNumber: "9434765919" },
        {
          withhold: [
            { recipientId: "essex-health", justification: "A justification that is long enough to pass" },
          ],
        },
      ),
    });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([{ path: "/withhold/0/recipientId", message: expect.any(String) }]);
    const after = await call(hub, "GET", "/v1/audit/export", { token: ig });
    const actions = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { action: string }).action)
        .filter((a) => a !== "audit_exported");
    expect(actions(after.text)).toEqual(actions(before.text));
  });
  // Last: it changes st-marys-primary for the rest of this hub's life.
  it("lets only a listed Key Adult open and acknowledge, refuses other staff with 403 not_a_key_adult (audited), and uses the school's own day", async () => {
    // Prepare
    const tomorrow = londonParts(new Date(Date.now() + 86_400_000));
    const closure = `${tomorrow.year}-${String(tomorrow.month).padStart(2, "0")}-${String(tomorrow.day).padStart(2, "0")}`;
    const patched = await call(hub, "PATCH", "/v1/partners/st-marys-primary", {
      token: ig,
      body: {
        keyAdults: [{ sub: "ka-1", name: "Ms Key", email: "key@st-marys.example" }],
        schoolDayStartsAt: "08:30",
        closures: [closure],
      },
    });
    const from = new Date().toISOString();
    const keyAdult = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: child({ givenName: "Kit" }),
    });
    const toSchool = ConcernReceiptSchema.parse(keyAdult.json).notifications.find(
      (n) => n.recipientId === "st-marys-primary",
    );
    const ka = await hub.token("st-marys-primary-app", "notifications:read notifications:respond", "ka-1");
    const office = await hub.token(
      "st-marys-primary-app",
      "notifications:read notifications:respond",
      "office-1",
    );

    // Act
    const refusedOpen = await call(hub, "GET", `/v1/notifications/${toSchool?.id}`, { token: office });
    const refusedAck = await call(hub, "POST", `/v1/notifications/${toSchool?.id}/acknowledge`, {
      token: office,
    });
    const refusedOutcome = await call(hub, "POST", `/v1/notifications/${toSchool?.id}/outcome`, {
      token: office,
      body: { outcome: "information_only" },
    });
    const opened = await call(hub, "GET", `/v1/notifications/${toSchool?.id}`, { token: ka });
    const acknowledged = await call(hub, "POST", `/v1/notifications/${toSchool?.id}/acknowledge`, {
      token: ka,
    });

    // Assess: the partner record and the school's own day
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ schoolDayStartsAt: "08:30", closures: [closure] });
    const due = londonParts(new Date(toSchool?.dueBy ?? ""));
    expect([due.hour, due.minute]).toEqual([8, 30]);
    expect(toSchool?.dueBy.slice(0, 10)).not.toBe(closure);

    // Assess: who may do what
    for (const refused of [refusedOpen, refusedAck, refusedOutcome]) {
      expect(refused.status).toBe(403);
      expect(refused.json.type).toBe("https://lantern.example/problems/not_a_key_adult");
      expect(refused.text).not.toContain("Kit");
    }
    expect(opened.status).toBe(200);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.json.status).toBe("acknowledged");
    const events = await call(hub, "GET", `/v1/audit/events?concernId=${String(keyAdult.json.id)}`, {
      token: ig,
    });
    const about = (events.json.items as Record<string, unknown>[]).filter(
      (e) => e.notificationId === toSchool?.id,
    );
    expect(about.map((e) => [e.action, e.reason, (e.actor as { sub: string }).sub])).toEqual(
      expect.arrayContaining([
        ["disclosure_refused", "not_a_key_adult", "office-1"],
        ["notification_opened", null, "ka-1"],
        ["notification_acknowledged", null, "ka-1"],
      ]),
    );
    expect(about.filter((e) => e.action === "disclosure_refused")).toHaveLength(1);

    // Assess: the force's Encompass figure for the school
    const to = new Date(Date.now() + 1000).toISOString();
    const figures = await call(hub, "GET", `/v1/metrics/timeliness?from=${from}&to=${to}`, { token: ig });
    expect(figures.status).toBe(200);
    expect(figures.json.encompass).toEqual([
      {
        schoolId: "st-marys-primary",
        notifications: 1,
        acknowledgedBeforeSchoolDay: 1,
        acknowledgedAfterSchoolDayStarted: 0,
        notAcknowledged: 0,
      },
    ]);
  });

  it("keeps a school's day and Key Adults to schools", async () => {
    // Act
    const refused = await call(hub, "PATCH", "/v1/partners/essex-mash", {
      token: ig,
      body: { keyAdults: [{ sub: "sw-1", name: "A Social Worker" }] },
    });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([{ path: "/keyAdults", message: expect.any(String) }]);
  });
});
