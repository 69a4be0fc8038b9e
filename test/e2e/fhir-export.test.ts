import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { balpPrivacyDisclosureSourceViolations, emptyValues, r4Errors } from "../support/balp.js";
import { amyConcern } from "../support/fixtures.js";
import { call, type Hub, startHub } from "../support/hub.js";

/**
 * `GET /v1/audit/export?format=fhir` as an auditor's FHIR tooling reads it: every resource
 * passes the `fhir` package's R4 validation with no error and every rule of IHE BALP
 * PrivacyDisclosure at Source, a break-glass disclosure included.
 */
describe("the FHIR export over HTTP", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub({ LANTERN_DYNAMODB_ENDPOINT: inject("dynamoEndpoint") });
  });
  afterAll(async () => {
    await hub.stop();
  });

  it("passes R4 validation and BALP PrivacyDisclosure.Source, break glass included", async () => {
    // Prepare: ordinary disclosures (school, MASH) and a break glass to health.
    const police = await hub.token("essex-police-app", "concerns:submit");
    const ordinary = await call(hub, "POST", "/v1/concerns", { token: police, body: amyConcern() });
    const urgent = await call(hub, "POST", "/v1/concerns", {
      token: police,
      body: amyConcern({
        concernType: "neglect_or_abuse",
        breakGlass: {
          justification: "Infant with injuries consistent with abuse; health must assess today.",
        },
      }),
    });

    // Act
    const auditor = await hub.token("essex-police-ig", "audit:read");
    const exported = await call(hub, "GET", "/v1/audit/export?format=fhir", { token: auditor });

    // Assess
    expect([ordinary.status, urgent.status, exported.status]).toEqual([201, 201, 200]);
    const resources = exported.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const breakGlass = resources.filter((r) => JSON.stringify(r.purposeOfEvent).includes('"code":"ETREAT"'));
    expect(resources.length).toBeGreaterThanOrEqual(4);
    expect(breakGlass).toHaveLength(1);
    const problems = resources.map((r) => ({
      id: r.id,
      errors: r4Errors(r),
      empty: emptyValues(r),
      balp: balpPrivacyDisclosureSourceViolations(r),
    }));
    expect(problems).toEqual(resources.map((r) => ({ id: r.id, errors: [], empty: [], balp: [] })));
    expect(exported.text).not.toMatch(/Amy|Example|injuries/);
  });
});
