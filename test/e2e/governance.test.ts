import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PartnerViewSchema } from "../../shared/api/schemas.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { call, type Hub, startHub } from "../support/hub.js";

/** `governance: true` in the registry, not the token's issuer, decides who administers and audits. */
describe("governance partners", () => {
  let hub: Hub;
  let ig: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    ig = await hub.token("essex-police-ig", "partners:read partners:manage audit:read", "ig-officer");
  });
  afterAll(async () => {
    await hub.stop();
  });

  const mashAuditor = () => hub.token("essex-mash-portal", "audit:read", "mash-auditor");
  const setGovernance = (id: string, governance: boolean) =>
    call(hub, "PATCH", `/v1/partners/${id}`, { token: ig, body: { governance } });

  it("shows governance on every partner: the demo's essex-police only", async () => {
    // Act
    const listed = await call(hub, "GET", "/v1/partners", { token: ig });

    // Assess
    const partners = (listed.json.items ?? []).map((p) => PartnerViewSchema.parse(p));
    expect(partners.filter((p) => p.governance).map((p) => p.id)).toEqual(["essex-police"]);
  });

  it("honours audit:read for a partner once IG grants it governance, audited, and not after", async () => {
    // Prepare
    const before = await call(hub, "GET", "/v1/audit/verify", { token: await mashAuditor() });

    // Act
    const granted = await setGovernance("essex-mash", true);
    const during = await call(hub, "GET", "/v1/audit/verify", { token: await mashAuditor() });
    const revoked = await setGovernance("essex-mash", false);
    const after = await call(hub, "GET", "/v1/audit/verify", { token: await mashAuditor() });

    // Assess
    expect(before.status).toBe(403);
    expect(granted.status).toBe(200);
    expect(PartnerViewSchema.parse(granted.json).governance).toBe(true);
    expect(during.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(after.status).toBe(403);
    const events = await call(hub, "GET", "/v1/audit/events?action=partner_changed", { token: ig });
    const reasons = ((events.json.items ?? []) as AuditEvent[])
      .filter((e) => e.target?.id === "essex-mash" && e.actor.sub === "ig-officer")
      .map((e) => e.reason);
    expect(reasons).toEqual(["governance_granted", "governance_revoked"]);
  });

  it("refuses to take away the caller's own partner's governance (409), so IG cannot lock itself out", async () => {
    // Act
    const response = await setGovernance("essex-police", false);
    const still = await call(hub, "GET", "/v1/partners/essex-police", { token: ig });

    // Assess
    expect(response.status).toBe(409);
    expect(PartnerViewSchema.parse(still.json).governance).toBe(true);
  });

  it("registers a partner without governance unless it is asked for", async () => {
    // Act
    const response = await call(hub, "POST", "/v1/partners", {
      token: ig,
      body: {
        id: "essex-care",
        name: "Essex Care",
        type: "care_provider",
        areas: ["essex"],
        clientIds: ["care-app"],
      },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(PartnerViewSchema.parse(response.json).governance).toBe(false);
  });
});
