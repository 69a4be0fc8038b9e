import type { AuditEvent } from "./audit.js";

/**
 * A disclosure as a FHIR R4 AuditEvent shaped as IHE BALP PrivacyDisclosure at the Source:
 * type DICOM 110106 "Export", subtype ISO 21089 "disclose", action R. Agents: Lantern itself
 * as the source (the profile's `val-audit-source`: the source agent's `who` is
 * `source.observer`), the recipient partner as the destination, and the discloser (the police
 * force whose concern it was) as the custodian that released the data, with the officer's
 * `sub` as its `altId`. Both source and recipient carry the `network` the profile requires:
 * the hub's API, and the inbox address the recipient reads the notification from. The child
 * appears by pseudonymous id only. R4 forbids empty strings, arrays and objects, so a member
 * without a value is left out rather than sent empty.
 */
const DCM = "http://dicom.nema.org/resources/ontology/DCM";
export const BALP_PRIVACY_DISCLOSURE_SOURCE =
  "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source";
const NETWORK_URI = { system: "http://terminology.hl7.org/CodeSystem/network-type", code: "5" } as const;

/** The audit source and source agent: one object, so the two are equal as BALP requires. */
const LANTERN = {
  identifier: { system: "urn:ietf:rfc:3986", value: "urn:lantern:hub" },
  display: "Lantern",
} as const;

const partner = (id: string | null) => ({
  identifier: { system: "urn:lantern:partner", value: id || "unknown" },
});

/** FHIR ids are `[A-Za-z0-9\-.]{1,64}`: Lantern's `evt_<uuid>` becomes `evt-<uuid>`. */
export function fhirId(eventId: string): string {
  return eventId.replace(/[^A-Za-z0-9\-.]/g, "-").slice(0, 64);
}

function detail(type: string, value: string | null | undefined): { type: string; valueString: string }[] {
  return value ? [{ type, valueString: value }] : [];
}

function details(event: AuditEvent) {
  return [
    ...detail("dataCategories", (event.dataCategories ?? []).join(" ")),
    ...detail(
      "agreement",
      event.agreement ? `${event.agreement.id} v${event.agreement.version}` : "none (break glass)",
    ),
    ...detail("lawfulBasis", (event.lawfulBasis ?? []).join("; ")),
    // For break glass: the refusal it overrode (a code such as `no_agreement`, never free text).
    ...detail("overrode", event.action === "break_glass_disclosure" ? event.reason : null),
    ...detail("payloadSha256", event.payloadSha256),
    ...detail("eventId", event.id),
    ...detail("hash", event.hash),
  ];
}

function agents(event: AuditEvent) {
  return [
    {
      type: { coding: [{ system: DCM, code: "110153", display: "Source Role ID" }] },
      who: LANTERN,
      requestor: false,
      network: { address: "urn:lantern:hub", type: NETWORK_URI.code },
    },
    {
      type: { coding: [{ system: DCM, code: "110152", display: "Destination Role ID" }] },
      who: partner(event.recipientId),
      requestor: false,
      network: {
        address: event.notificationId
          ? `/v1/notifications/${event.notificationId}`
          : `urn:lantern:partner:${event.recipientId || "unknown"}`,
        type: NETWORK_URI.code,
      },
    },
    {
      // BALP's custodian slice: the organisation that released the data.
      type: { coding: [{ system: "http://snomed.info/sct", code: "159541003" }] },
      who: partner(event.actor.partnerId),
      requestor: true,
      ...(event.actor.sub ? { altId: event.actor.sub } : {}),
    },
  ];
}

/** What was disclosed: the child (by pseudonymous subject id) and the notification. */
function entities(event: AuditEvent) {
  return [
    {
      what: { identifier: { system: "urn:lantern:subject", value: event.subjectId || "unknown" } },
      type: {
        system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
        code: "1",
        display: "Person",
      },
      role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient" },
    },
    {
      what: {
        identifier: { system: "urn:lantern:notification", value: event.notificationId || "unknown" },
      },
      type: {
        system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
        code: "2",
        display: "System Object",
      },
      detail: details(event),
    },
  ];
}

export function toFhirAuditEvent(event: AuditEvent): Record<string, unknown> | null {
  if (event.action !== "disclosure" && event.action !== "break_glass_disclosure") return null;
  const breakGlass = event.action === "break_glass_disclosure";
  return {
    resourceType: "AuditEvent",
    id: fhirId(event.id),
    meta: { profile: [BALP_PRIVACY_DISCLOSURE_SOURCE] },
    type: { system: DCM, code: "110106", display: "Export" },
    subtype: [
      {
        system: "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle",
        code: "disclose",
        display: "Disclose Record Lifecycle Event",
      },
    ],
    action: "R",
    recorded: event.at,
    outcome: "0",
    purposeOfEvent: [
      {
        text: event.purpose || "safeguarding",
        ...(breakGlass
          ? {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                  code: "ETREAT",
                  display: "Emergency Treatment",
                },
              ],
            }
          : {}),
      },
    ],
    agent: agents(event),
    source: {
      observer: LANTERN,
      type: [
        {
          system: "http://terminology.hl7.org/CodeSystem/security-source-type",
          code: "4",
          display: "Application Server",
        },
      ],
    },
    entity: entities(event),
  };
}
