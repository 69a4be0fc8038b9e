import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema, NotificationSchema, ProblemSchema } from "../../shared/api/schemas.js";
import { type AuditEvent, verifyShard } from "../../shared/domain/audit.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * Operation Encompass end to end, over HTTP with real signed tokens: a red domestic abuse
 * concern reaches the school (identity, school, voice of the child only) and the MASH
 * (everything), before the next school day; health, with no agreement, is refused.
 */
describe("Operation Encompass over HTTP", () => {
  let hub: Hub;
  let police: string;
  let school: string;
  let mash: string;
  let auditor: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1234");
    school = await hub.token("st-marys-primary-app", "notifications:read notifications:respond", "dsl-1");
    mash = await hub.token("essex-mash-portal", "notifications:read notifications:respond", "sw-1");
    auditor = await hub.token("essex-police-ig", "audit:read", "ig-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("tells the school only what Operation Encompass allows and the MASH everything", async () => {
    // Act
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });

    // Assess: the receipt
    expect(submitted.status).toBe(201);
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    expect(submitted.headers.get("location")).toBe(`/v1/concerns/${receipt.id}`);
    const toSchool = receipt.notifications.find((n) => n.recipientId === "st-marys-primary");
    const toMash = receipt.notifications.find((n) => n.recipientId === "essex-mash");
    expect(toSchool?.dataCategories).toEqual(["identity", "education", "voice_of_child"]);
    expect(toSchool?.agreement).toEqual({ id: "encompass-st-marys", version: 1 });
    expect(toMash?.dataCategories).toHaveLength(11);
    expect(Date.parse(toMash?.dueBy ?? "") - Date.parse(receipt.receivedAt)).toBe(4 * 3600 * 1000);

    // Assess: the school's view
    const schoolInbox = await call(hub, "GET", "/v1/notifications", { token: school });
    expect(schoolInbox.status).toBe(200);
    expect((schoolInbox.json.items as { id: string }[]).map((n) => n.id)).toContain(toSchool?.id);
    const opened = await call(hub, "GET", `/v1/notifications/${toSchool?.id}`, { token: school });
    expect(opened.status).toBe(200);
    const notification = NotificationSchema.parse(opened.json);
    expect(notification.payload).toEqual({
      subject: {
        subjectId: receipt.subjectId,
        givenName: "Amy",
        familyName: "Example",
        dateOfBirth: "2017-03-02",
        schoolId: "st-marys-primary",
      },
      voiceOfChild: amyConcern().voiceOfChild,
    });
    expect(opened.text).not.toContain("Common assault");
    expect(opened.text).not.toContain("Asthma");

    // Assess: the MASH's view
    const mashView = await call(hub, "GET", `/v1/notifications/${toMash?.id}`, { token: mash });
    const payload = NotificationSchema.parse(mashView.json).payload as Record<
      string,
      Record<string, unknown>
    >;
    expect(payload.incident?.offences).toEqual(["Common assault"]);
    expect(payload.subject?.specialCategory).toEqual({ ethnicity: "White British", health: "Asthma" });
    expect(payload.officer).toEqual(amyConcern().officer);
  });

  it("refuses health with a reason when there is no agreement", async () => {
    const submitted = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({ concernType: "neglect_or_abuse" }),
    });
    expect(submitted.status).toBe(201);
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    expect(receipt.refusals).toEqual([{ recipientId: "essex-health", reason: "no_agreement" }]);
    expect(receipt.notifications.map((n) => n.recipientId)).toEqual(["essex-mash"]);
    const healthInbox = await call(hub, "GET", "/v1/notifications", {
      token: await hub.token("essex-health-app", "notifications:read"),
    });
    expect(healthInbox.json.items).toEqual([]);
  });

  it("never shows one partner another partner's notification", async () => {
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    const toMash = receipt.notifications.find((n) => n.recipientId === "essex-mash");

    const asSchool = await call(hub, "GET", `/v1/notifications/${toMash?.id}`, { token: school });
    const ackAsSchool = await call(hub, "POST", `/v1/notifications/${toMash?.id}/acknowledge`, {
      token: school,
    });
    const concernAsSchool = await call(hub, "GET", `/v1/concerns/${receipt.id}`, {
      token: await hub.token("st-marys-primary-app", "concerns:read"),
    });

    for (const response of [asSchool, ackAsSchool, concernAsSchool]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      ProblemSchema.parse(response.json);
    }
  });

  it("lets the recipient acknowledge and record an outcome, and the police see it", async () => {
    const submitted = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    const toMash = receipt.notifications.find((n) => n.recipientId === "essex-mash");

    const ack = await call(hub, "POST", `/v1/notifications/${toMash?.id}/acknowledge`, { token: mash });
    const again = await call(hub, "POST", `/v1/notifications/${toMash?.id}/acknowledge`, { token: mash });
    const outcome = await call(hub, "POST", `/v1/notifications/${toMash?.id}/outcome`, {
      token: mash,
      body: { outcome: "child_protection_enquiry", note: "Strategy discussion booked" },
    });
    const twice = await call(hub, "POST", `/v1/notifications/${toMash?.id}/outcome`, {
      token: mash,
      body: { outcome: "no_further_action" },
    });
    const view = await call(hub, "GET", `/v1/concerns/${receipt.id}`, { token: police });

    expect(ack.status).toBe(200);
    expect(ack.json.status).toBe("acknowledged");
    expect(again.json.acknowledgedAt).toBe(ack.json.acknowledgedAt);
    expect(outcome.json.status).toBe("closed");
    expect(twice.status).toBe(409);
    const mine = (
      view.json.notifications as { id: string; status: string; outcome: { outcome: string } }[]
    ).find((n) => n.id === toMash?.id);
    expect(mine?.status).toBe("closed");
    expect(mine?.outcome.outcome).toBe("child_protection_enquiry");
    const events = await call(hub, "GET", `/v1/audit/events?notificationId=x`, { token: auditor });
    expect(events.status).toBe(400); // unknown filters are refused, not ignored
    const trail = await call(hub, "GET", `/v1/audit/events?concernId=${receipt.id}`, { token: auditor });
    const actions = (trail.json.items as AuditEvent[]).map((e) => e.action);
    expect(actions).toEqual(["disclosure", "disclosure", "notification_acknowledged", "outcome_recorded"]);
    expect(trail.text).not.toContain("Strategy discussion");
  });

  it("answers a repeated Idempotency-Key with the first response, and another body with 409", async () => {
    const headers = { "idempotency-key": `key-${Date.now()}` };
    const first = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern(), headers });
    const replay = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern(), headers });
    const other = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({ riskRating: "amber" }),
      headers,
    });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    expect(other.status).toBe(409);
  });

  it("shares by break glass where there is no agreement, and audits it as such", async () => {
    const tooShort = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({ concernType: "neglect_or_abuse", breakGlass: { justification: "urgent" } }),
    });
    const submitted = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({
        concernType: "neglect_or_abuse",
        breakGlass: { justification: "Baby with unexplained bruising; health visitor must see her today." },
      }),
    });
    expect(tooShort.status).toBe(400);
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    const toHealth = receipt.notifications.find((n) => n.recipientId === "essex-health");
    expect(toHealth?.breakGlass).toBe(true);
    expect(toHealth?.agreement).toBeNull();
    expect(receipt.refusals).toEqual([]);
    const trail = await call(
      hub,
      "GET",
      `/v1/audit/events?concernId=${receipt.id}&action=break_glass_disclosure`,
      {
        token: auditor,
      },
    );
    expect((trail.json.items as AuditEvent[]).map((e) => [e.recipientId, e.reason])).toEqual([
      ["essex-health", "no_agreement"],
    ]);
    expect(trail.text).not.toContain("bruising");
  });

  it("exports a trail that verifies with nothing but the contract's rules", async () => {
    const verify = await call(hub, "GET", "/v1/audit/verify", { token: auditor });
    const exported = await call(hub, "GET", "/v1/audit/export", { token: auditor });

    expect(verify.json).toMatchObject({ valid: true, problems: [] });
    expect(exported.headers.get("content-type")).toBe("application/x-ndjson");
    const events = exported.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEvent);
    const shards = new Map<number, AuditEvent[]>();
    for (const e of events) shards.set(e.shard, [...(shards.get(e.shard) ?? []), e]);
    for (const [shard, list] of shards) expect(verifyShard(shard, list)).toEqual([]);
    expect(events.some((e) => e.action === "audit_exported")).toBe(true);
    expect(exported.text).not.toMatch(/Amy|Example|CM1 1AA/);
  });
});
