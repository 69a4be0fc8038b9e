import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConcernReceiptSchema } from "../../shared/api/schemas.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * A submission commits in one transaction of at most 100 records. A rule that reaches every
 * school of an area, with schools whose Key Adults are alerted, could exceed it: the rule set,
 * or the partner, that would is refused with 409 when IG sets it, naming the rule, and what is
 * in force stays as it was.
 */
describe("configuration bounded by the submission's one transaction", () => {
  let hub: Hub;
  let ig: string;
  let police: string;

  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
    ig = await hub.token(
      "essex-police-ig",
      "partners:read partners:manage routing:read routing:manage",
      "ig-1",
    );
    police = await hub.token("essex-police-app", "concerns:submit concerns:read", "pc-1");
  });
  afterAll(async () => {
    await hub.stop();
  });

  /** Five Key Adults, each with an email and a mobile: 14 records per notification to the school. */
  const keyAdults = Array.from({ length: 5 }, (_, k) => ({
    sub: `ka-${k}`,
    name: `Key Adult ${k}`,
    email: `ka${k}@school.example`,
    mobile: "07700 900123",
  }));
  const register = (n: number, withKeyAdults: boolean) =>
    call(hub, "POST", "/v1/partners", {
      token: ig,
      body: {
        id: `limit-school-${n}`,
        name: `Limit School ${n}`,
        type: "school",
        areas: ["essex"],
        clientIds: [`limit-school-${n}-app`],
        ...(withKeyAdults ? { keyAdults } : {}),
      },
    });
  const allSchools = {
    id: "all-essex-schools",
    concernTypes: ["domestic_abuse_child_present"],
    recipient: { resolve: "area", type: "school" },
    dataCategories: ["identity"],
    due: { kind: "after", duration: "PT4H" },
  };

  it("refuses the partner, then the rule set, that would put a submission over 100 records", async () => {
    // Prepare: six schools with alerted Key Adults; the demo rules plus one to every school.
    for (let n = 1; n <= 6; n++) expect((await register(n, true)).status).toBe(201);
    const demo = (await call(hub, "GET", "/v1/routing-rules", { token: ig })).json as { rules: unknown[] };
    const withAll = { rules: [...demo.rules, allSchools] };
    // Essex: the MASH, St Mary's, the local authority (4 each), six schools (14 each), 4 fixed.
    expect((await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: withAll })).status).toBe(200);

    // Act 1: a seventh school would make it 104.
    const seventh = await register(7, false);

    // Assess 1: 409 problem+json naming the rule; the school is not registered.
    expect(seventh.status).toBe(409);
    expect(seventh.headers.get("content-type")).toContain("application/problem+json");
    expect(seventh.json).toMatchObject({ status: 409, title: "Too many recipients for one submission" });
    expect(String(seventh.json.detail)).toContain('Rule "all-essex-schools"');
    expect(String(seventh.json.detail)).toContain("104 records");
    expect((await call(hub, "GET", "/v1/partners/limit-school-7", { token: ig })).status).toBe(404);
    // The configuration in force still serves a submission routed to every school (refused
    // to the six: they hold no agreement).
    const receipt = ConcernReceiptSchema.parse(
      (await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() })).json,
    );
    expect(receipt.refusals.filter((r) => r.recipientId.startsWith("limit-school-"))).toHaveLength(6);

    // Act 2: without the rule the seventh school registers; the rule is then refused.
    expect((await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: demo })).status).toBe(200);
    expect((await register(7, false)).status).toBe(201);
    const refused = await call(hub, "PUT", "/v1/routing-rules", { token: ig, body: withAll });

    // Assess 2: 409 naming the rule, and the rules in force unchanged.
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(String(refused.json.detail)).toContain('Rule "all-essex-schools"');
    expect((await call(hub, "GET", "/v1/routing-rules", { token: ig })).json).toEqual(demo);
  });
});
