import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** Reading the trail leaves a trace: "audit the fact the audit records have been retrieved". */
describe("audited reads of the trail", () => {
  let hub: Hub;
  let ig: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    ig = await hub.token("essex-police-ig", "audit:read", "ig-officer");
  });
  afterAll(async () => {
    await hub.stop();
  });

  const queried = async () => {
    const answer = await call(hub, "GET", "/v1/audit/events?action=audit_queried&limit=100", { token: ig });
    return (answer.json.items as AuditEvent[]) ?? [];
  };

  it("writes exactly one audit_queried event per answer, with its filters and who asked", async () => {
    // Prepare
    const before = (await queried()).length;

    // Act
    const first = await call(hub, "GET", "/v1/audit/events?action=partner_changed&limit=2", { token: ig });
    const next = await call(
      hub,
      "GET",
      `/v1/audit/events?action=partner_changed&limit=2&cursor=${first.json.nextCursor}`,
      { token: ig },
    );

    // Assess: two answers, two events (the reading of them here is a third, seen next time).
    expect([first.status, next.status]).toEqual([200, 200]);
    const events = await queried();
    expect(events.length).toBe(before + 3);
    const mine = events.filter((e) => e.reason === "action=partner_changed");
    expect(mine).toHaveLength(2);
    expect(mine[0]?.actor).toEqual({
      partnerId: "essex-police",
      sub: "ig-officer",
      clientId: "essex-police-ig",
    });
    expect(mine.every((e) => e.subjectId === null && e.concernId === null && e.target === null)).toBe(true);
  });

  it("refuses free text where an id belongs, so no name reaches the audited filters", async () => {
    // Act
    const answer = await call(hub, "GET", "/v1/audit/events?subjectId=Amy%20Example", { token: ig });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toContain("application/problem+json");
  });

  it("audits every page of an export, not only the first", async () => {
    // Prepare
    const exported = async () =>
      (await call(hub, "GET", "/v1/audit/events?action=audit_exported&limit=100", { token: ig })).json
        .items as AuditEvent[];
    const before = (await exported()).length;

    // Act
    const page = await call(hub, "GET", "/v1/audit/export", { token: ig });

    // Assess
    expect(page.status).toBe(200);
    expect((await exported()).length).toBe(before + 1);
  });

  it("answers 400 to a range whose from is after its to, on the trail and on the timeliness figures", async () => {
    // Prepare
    const range = "from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z";

    // Act
    const trail = await call(hub, "GET", `/v1/audit/events?${range}`, { token: ig });
    const figures = await call(hub, "GET", `/v1/metrics/timeliness?${range}`, { token: ig });

    // Assess
    for (const answer of [trail, figures]) {
      expect(answer.status).toBe(400);
      expect(answer.json.errors).toEqual([{ path: "/from", message: "must not be after `to`" }]);
    }
  });
});
