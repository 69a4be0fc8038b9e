import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  BreakGlassReviewSchema,
  ConcernReceiptSchema,
  CoverageSchema,
  PartnerViewSchema,
} from "../../shared/api/schemas.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { AgreementSchema } from "../../shared/domain/registry.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** Information governance runs the policy over HTTP: agreements, break-glass review, routing, partners. */
describe("information governance over HTTP", () => {
  let hub: Hub;
  let ig: string;
  let police: string;

  const healthTerms = {
    title: "Essex health safeguarding",
    purposes: ["safeguarding"],
    lawfulBasis: ["UK GDPR Art. 6(1)(e)", "UK GDPR Art. 9(2)(h)"],
    concernTypes: ["neglect_or_abuse"],
    dataCategories: ["identity", "contact", "risk", "special_category"],
    ageRange: { min: 0, max: 17 },
    areas: ["essex"],
    validFrom: "2026-01-01T00:00:00Z",
    validTo: "2029-01-01T00:00:00Z",
    retentionDays: 2555,
  };

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    ig = await hub.token(
      "essex-police-ig",
      "agreements:read agreements:manage partners:read partners:manage routing:manage audit:read audit:review",
      "ig-officer",
    );
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  const neglect = () =>
    call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({ concernType: "neglect_or_abuse" }),
    });

  it("takes an agreement from draft to active to suspended, and disclosure follows it", async () => {
    // Draft: still refused, as not active.
    const created = await call(hub, "POST", "/v1/agreements", {
      token: ig,
      body: { id: "health-essex", discloserId: "essex-police", recipientId: "essex-health", ...healthTerms },
    });
    expect(created.status).toBe(201);
    expect(AgreementSchema.parse(created.json).versions[0]?.status).toBe("draft");
    const whileDraft = ConcernReceiptSchema.parse((await neglect()).json);
    expect(whileDraft.refusals).toEqual([{ recipientId: "essex-health", reason: "agreement_not_active" }]);

    // Active: disclosed with exactly the rule's categories that the agreement grants.
    const activated = await call(hub, "POST", "/v1/agreements/health-essex/versions/1/activate", {
      token: ig,
    });
    expect(activated.status).toBe(200);
    const whileActive = ConcernReceiptSchema.parse((await neglect()).json);
    const toHealth = whileActive.notifications.find((n) => n.recipientId === "essex-health");
    expect(toHealth?.agreement).toEqual({ id: "health-essex", version: 1 });
    expect(toHealth?.dataCategories).toEqual(["identity", "contact", "risk", "special_category"]);
    const opened = await call(hub, "GET", `/v1/notifications/${toHealth?.id}`, {
      token: await hub.token("essex-health-app", "notifications:read"),
    });
    expect(Object.keys(opened.json.payload as object).sort()).toEqual([
      "riskFactors",
      "riskRating",
      "subject",
    ]);

    // An active version never changes.
    const amend = await call(hub, "PATCH", "/v1/agreements/health-essex/versions/1", {
      token: ig,
      body: { dataCategories: ["identity", "incident"] },
    });
    expect(amend.status).toBe(409);

    // Suspended: refused again.
    const suspended = await call(hub, "POST", "/v1/agreements/health-essex/versions/1/suspend", {
      token: ig,
    });
    expect(AgreementSchema.parse(suspended.json).versions[0]?.status).toBe("suspended");
    const whileSuspended = ConcernReceiptSchema.parse((await neglect()).json);
    expect(whileSuspended.refusals).toEqual([
      { recipientId: "essex-health", reason: "agreement_not_active" },
    ]);

    // A second version supersedes the first when activated.
    await call(hub, "POST", "/v1/agreements/health-essex/versions", { token: ig, body: healthTerms });
    const v2 = AgreementSchema.parse(
      (await call(hub, "POST", "/v1/agreements/health-essex/versions/2/activate", { token: ig })).json,
    );
    expect(v2.versions.map((v) => v.status)).toEqual(["suspended", "active"]);
    await call(hub, "POST", "/v1/agreements/health-essex/versions/1/activate", { token: ig });
    const history = AgreementSchema.parse(
      (await call(hub, "GET", "/v1/agreements/health-essex", { token: ig })).json,
    );
    expect(history.versions.map((v) => v.status)).toEqual(["active", "superseded"]);
    await call(hub, "POST", "/v1/agreements/health-essex/versions/1/revoke", { token: ig });

    const trail = await call(hub, "GET", "/v1/audit/events?action=agreement_changed&limit=100", {
      token: ig,
    });
    const reasons = (trail.json.items as AuditEvent[])
      .filter((e) => e.target?.id === "health-essex")
      .map((e) => e.reason);
    expect(reasons).toEqual([
      "created_draft",
      "draft_to_active",
      "active_to_suspended",
      "version_created_draft",
      "draft_to_active",
      "suspended_to_active",
      "active_to_superseded",
      "active_to_revoked",
    ]);
  });

  it("validates agreements: parties registered, validity in order, known categories, id unique", async () => {
    const bad = await call(hub, "POST", "/v1/agreements", {
      token: ig,
      body: {
        id: "bad-one",
        discloserId: "essex-police",
        recipientId: "nobody",
        ...healthTerms,
        validTo: "2025-01-01T00:00:00Z",
      },
    });
    expect(bad.status).toBe(400);
    const unknownParty = await call(hub, "POST", "/v1/agreements", {
      token: ig,
      body: { id: "bad-two", discloserId: "essex-police", recipientId: "nobody", ...healthTerms },
    });
    expect((unknownParty.json.errors as { path: string }[]).map((e) => e.path)).toEqual(["/recipientId"]);
    const taken = await call(hub, "POST", "/v1/agreements", {
      token: ig,
      body: { id: "mash-essex", discloserId: "essex-police", recipientId: "essex-mash", ...healthTerms },
    });
    expect(taken.status).toBe(409);
    const wrongScope = await call(hub, "POST", "/v1/agreements", { token: police, body: {} });
    expect(wrongScope.status).toBe(403);
  });

  it("queues break-glass disclosures for review, once each", async () => {
    const tooShort = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({
        concernType: "child_exploitation",
        subject: { ...amyConcern().subject, schoolId: "nowhere" },
        breakGlass: { justification: "too short" },
      }),
    });
    expect(tooShort.status).toBe(400);
    // Health's agreement was revoked above: break glass never overrides that. A young
    // person of 19 is outside the MASH's 0-17 agreement: that, break glass may override.
    const submitted = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({
        concernType: "neglect_or_abuse",
        subject: { ...amyConcern().subject, dateOfBirth: "2007-01-01" },
        breakGlass: {
          justification: "Infant with injuries consistent with abuse; health must assess today.",
        },
      }),
    });
    const receipt = ConcernReceiptSchema.parse(submitted.json);
    expect(receipt.refusals).toContainEqual({ recipientId: "essex-health", reason: "agreement_not_active" });
    const toHealth = receipt.notifications.find((n) => n.recipientId === "essex-mash");
    expect(toHealth?.breakGlass).toBe(true);

    const queue = await call(hub, "GET", "/v1/audit/reviews?status=pending", { token: ig });
    const pending = (queue.json.items as unknown[]).map((r) => BreakGlassReviewSchema.parse(r));
    const mine = pending.find((r) => r.id === toHealth?.id);
    expect(mine).toMatchObject({
      recipientId: "essex-mash",
      overrodeReason: "outside_age_range",
      status: "pending",
    });

    const reviewed = await call(hub, "POST", `/v1/audit/reviews/${toHealth?.id}`, {
      token: ig,
      body: { finding: "justified", note: "Paediatric assessment arranged" },
    });
    const again = await call(hub, "POST", `/v1/audit/reviews/${toHealth?.id}`, {
      token: ig,
      body: { finding: "not_justified" },
    });
    const readOnly = await call(hub, "POST", `/v1/audit/reviews/${toHealth?.id}`, {
      token: await hub.token("essex-police-ig", "audit:read"),
      body: { finding: "justified" },
    });
    expect(reviewed.status).toBe(200);
    expect(BreakGlassReviewSchema.parse(reviewed.json).finding).toBe("justified");
    expect(again.status).toBe(409);
    expect(readOnly.status).toBe(403);
    const events = await call(hub, "GET", `/v1/audit/events?concernId=${receipt.id}`, { token: ig });
    const actions = (events.json.items as AuditEvent[]).map((e) => e.action);
    expect(actions).toContain("break_glass_disclosure");
    expect(actions).toContain("break_glass_reviewed");
    expect(events.text).not.toMatch(/Paediatric|Infant/);
  });

  it("refuses routing rules that could never match, and keeps the old set", async () => {
    const before = await call(hub, "GET", "/v1/routing-rules", { token: ig });
    const bad = await call(hub, "PUT", "/v1/routing-rules", {
      token: ig,
      body: {
        rules: [
          ...(before.json.rules as unknown[]),
          {
            id: "to-nobody",
            concernTypes: ["missing_child"],
            recipient: { partnerId: "ghost" },
            dataCategories: ["identity"],
            due: { kind: "after", duration: "PT1H" },
          },
          {
            id: "bad-duration",
            concernTypes: ["missing_child"],
            recipient: { resolve: "area", type: "mash" },
            dataCategories: ["identity"],
            due: { kind: "after", duration: "1 hour" },
          },
          {
            id: "bad-type",
            concernTypes: ["missing_child"],
            recipient: { resolve: "area", type: "wizard" },
            dataCategories: ["identity"],
            due: { kind: "after", duration: "PT1H" },
          },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect((await call(hub, "GET", "/v1/routing-rules", { token: ig })).json).toEqual(before.json);

    const good = await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: before.json });
    expect(good.status).toBe(200);
  });

  it("shows IG where sharing has no lawful footing", async () => {
    const response = await call(hub, "GET", "/v1/agreements/coverage?within=P30D", { token: ig });
    const report = CoverageSchema.parse(response.json);
    const health = report.items.find((i) => i.ruleId === "neglect-health" && i.area === "essex");
    expect(health?.recipients.map((r) => r.status)).toEqual(["not_covered"]);
    const school = report.items.find((i) => i.ruleId === "encompass-school" && i.area === "essex");
    expect(school?.recipients).toMatchObject([{ recipientId: "st-marys-primary", status: "covered" }]);
    const southendSchool = report.items.find((i) => i.ruleId === "encompass-school" && i.area === "southend");
    expect(southendSchool?.unresolved).toBe(true);
    const soon = CoverageSchema.parse(
      (await call(hub, "GET", "/v1/agreements/coverage?within=P1500D", { token: ig })).json,
    );
    const mash = soon.items.find((i) => i.ruleId === "mash-all" && i.area === "essex");
    expect(mash?.recipients[0]?.status).toBe("expiring");
  });

  it("registers a partner with a webhook secret shown once, and keeps client ids unique", async () => {
    const created = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: {
        id: "essex-care",
        name: "Essex Children's Homes",
        type: "care_provider",
        areas: ["essex"],
        clientIds: ["essex-care-app"],
        webhook: { url: "http://127.0.0.1:9/hook" },
      },
    });
    expect(created.status).toBe(201);
    expect(PartnerViewSchema.parse(created.json).webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await call(hub, "GET", "/v1/partners/essex-care", { token: ig });
    expect(read.json.webhookSecret).toBeUndefined();
    const clash = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: {
        id: "another",
        name: "Another",
        type: "voluntary_sector",
        areas: ["essex"],
        clientIds: ["essex-mash-portal"],
      },
    });
    expect(clash.status).toBe(409);
    const moved = await call(hub, "PATCH", "/v1/partners/essex-care", {
      token: ig,
      body: { clientIds: ["essex-care-portal"] },
    });
    expect(moved.json.clientIds).toEqual(["essex-care-portal"]);
    const oldClient = await call(hub, "GET", "/v1/notifications", {
      token: await hub.token("essex-care-app", "notifications:read"),
    });
    const newClient = await call(hub, "GET", "/v1/notifications", {
      token: await hub.token("essex-care-portal", "notifications:read"),
    });
    expect(oldClient.status).toBe(403);
    expect(newClient.status).toBe(200);
    const rotated = await call(hub, "POST", "/v1/partners/essex-care/webhook-secret", { token: ig });
    expect(rotated.json.webhookSecret).not.toBe(created.json.webhookSecret);
    expect(typeof rotated.json.previousSecretValidUntil).toBe("string");
  });

  it("keeps an area's calendar as audited policy, and school due times follow it", async () => {
    const calendar = {
      holidays: ["2099-12-25"],
      schoolHolidays: ["2099-12-24"],
      workingHours: { start: "08:30", end: "17:30" },
    };
    const put = await call(hub, "PUT", "/v1/calendars/southend", { token: ig, body: calendar });
    const read = await call(hub, "GET", "/v1/calendars/southend", {
      token: await hub.token("essex-police-ig", "routing:read"),
    });
    const bad = await call(hub, "PUT", "/v1/calendars/southend", {
      token: ig,
      body: { ...calendar, holidays: ["25/12/2099"] },
    });
    expect(put.status).toBe(200);
    expect(read.json).toEqual({ area: "southend", ...calendar });
    expect(bad.status).toBe(400);
    const trail = await call(hub, "GET", "/v1/audit/events?action=routing_changed&limit=100", { token: ig });
    expect(
      (trail.json.items as AuditEvent[]).some(
        (e) => e.target?.kind === "calendar" && e.target.id === "southend",
      ),
    ).toBe(true);
  });
});
