import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { fhirId, toFhirAuditEvent } from "../../shared/domain/fhir.js";
import { balpPrivacyDisclosureSourceViolations, emptyValues, r4Errors } from "../support/balp.js";

/** The FHIR export: R4-valid and IHE BALP PrivacyDisclosure at Source, whatever an event holds. */

function disclosure(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: "evt_5f0c2a4e-8f7d-4a4b-9a51-0d3c2b1e6f70",
    shard: 1,
    seq: 7,
    at: "2026-11-20T21:52:11.000Z",
    action: "disclosure",
    actor: { partnerId: "essex-police", clientId: "essex-police-app", sub: "pc-1234" },
    subjectId: "sub_3q2b",
    concernId: "cnc_1",
    notificationId: "ntf_1",
    recipientId: "st-marys-primary",
    agreement: { id: "encompass-essex", version: 1 },
    purpose: "safeguarding",
    lawfulBasis: ["UK GDPR Art. 6(1)(e)"],
    dataCategories: ["identity", "education"],
    payloadSha256: "b".repeat(64),
    reason: null,
    target: null,
    requestId: "req-1",
    prevHash: "0".repeat(64),
    hash: "a".repeat(64),
    ...overrides,
  };
}

/** A break-glass disclosure as the write path records it: no agreement, no lawful basis. */
const breakGlass = disclosure({
  action: "break_glass_disclosure",
  recipientId: "essex-health",
  agreement: null,
  lawfulBasis: null,
  reason: "no_agreement",
});

function check(event: AuditEvent) {
  const resource = toFhirAuditEvent(event) as Record<string, unknown>;
  return {
    resource,
    errors: r4Errors(resource),
    empty: emptyValues(resource),
    balp: balpPrivacyDisclosureSourceViolations(resource),
  };
}

describe("the FHIR AuditEvent of a disclosure", () => {
  it("passes R4 validation and every BALP PrivacyDisclosure.Source rule", () => {
    for (const event of [disclosure(), breakGlass]) {
      const { errors, empty, balp } = check(event);
      expect({ errors, empty, balp }).toEqual({ errors: [], empty: [], balp: [] });
    }
  });

  it("names Lantern as the audit source and as the source agent, with a network on source and recipient", () => {
    const { resource } = check(breakGlass);
    const [source, recipient, custodian] = resource.agent as Record<string, unknown>[];
    expect(source?.who).toEqual((resource.source as { observer: unknown }).observer);
    expect(source?.network).toEqual({ address: "urn:lantern:hub", type: "5" });
    expect(recipient).toMatchObject({
      who: { identifier: { value: "essex-health" } },
      network: { address: "/v1/notifications/ntf_1", type: "5" },
    });
    expect(custodian).toMatchObject({
      who: { identifier: { value: "essex-police" } },
      requestor: true,
      altId: "pc-1234",
    });
  });

  it("leaves out what a break glass does not have, instead of an empty valueString", () => {
    const { resource } = check(breakGlass);
    const details =
      (resource.entity as { detail?: { type: string; valueString: string }[] }[])[1]?.detail ?? [];
    expect(details.map((d) => d.type)).toEqual([
      "dataCategories",
      "agreement",
      "overrode",
      "payloadSha256",
      "eventId",
      "hash",
    ]);
    expect(details.find((d) => d.type === "overrode")?.valueString).toBe("no_agreement");
    expect(details.every((d) => d.valueString.length > 0)).toBe(true);
  });

  it("gives a FHIR id (no underscore) and keeps Lantern's id as a detail", () => {
    const { resource } = check(disclosure());
    expect(resource.id).toBe("evt-5f0c2a4e-8f7d-4a4b-9a51-0d3c2b1e6f70");
    expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(fhirId("x".repeat(80))).toHaveLength(64);
  });

  it("stays valid for any mix of missing members", () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.record({
          action: fc.constantFrom("disclosure" as const, "break_glass_disclosure" as const),
          actor: fc.record({ partnerId: maybe(text), clientId: maybe(text), sub: maybe(text) }),
          subjectId: maybe(text),
          notificationId: maybe(text),
          recipientId: maybe(text),
          agreement: maybe(fc.record({ id: text, version: fc.nat() })),
          purpose: maybe(text),
          lawfulBasis: maybe(fc.array(text, { maxLength: 3 })),
          dataCategories: maybe(fc.constantFrom([], ["identity"], ["identity", "risk"])),
          payloadSha256: maybe(text),
          reason: maybe(text),
        }),
        (members) => {
          const { errors, empty, balp } = check(disclosure(members as Partial<AuditEvent>));
          expect({ errors, empty, balp }).toEqual({ errors: [], empty: [], balp: [] });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is not made for any other kind of event", () => {
    expect(toFhirAuditEvent(disclosure({ action: "notification_opened" }))).toBeNull();
  });
});

describe("the BALP checks themselves", () => {
  it("catch each of the faults the export used to have", () => {
    const { resource } = check(breakGlass);
    const agents = resource.agent as Record<string, unknown>[];
    const withoutNetwork = { ...resource, agent: agents.map(({ network: _n, ...a }) => a) };
    const partnerAsSource = {
      ...resource,
      agent: [
        { ...agents[0], who: { identifier: { system: "urn:lantern:partner", value: "essex-police" } } },
        ...agents.slice(1),
      ],
    };
    const emptyDetail = {
      ...resource,
      entity: [
        (resource.entity as unknown[])[0],
        { what: { display: "x" }, detail: [{ type: "lawfulBasis", valueString: "" }] },
      ],
    };
    expect(balpPrivacyDisclosureSourceViolations(withoutNetwork)).toEqual([
      "agent:source.network 1..1",
      "agent:recipient.network 1..1",
    ]);
    expect(balpPrivacyDisclosureSourceViolations(partnerAsSource)).toEqual(["val-audit-source"]);
    expect(emptyValues(emptyDetail)).toEqual(["$.entity[1].detail[0].valueString"]);
    expect(r4Errors(emptyDetail).length).toBeGreaterThan(0);
  });
});
