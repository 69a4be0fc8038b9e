import type { AuditEvent } from "./audit.js";

/**
 * A disclosure as a FHIR R4 AuditEvent shaped as IHE BALP PrivacyDisclosure (recorded at the
 * source): type DICOM 110106 "Export", subtype ISO 21089 "disclose", the discloser as the
 * source agent, the recipient as the destination, the child by pseudonymous id only.
 */
const DCM = "http://dicom.nema.org/resources/ontology/DCM";
const PROFILE =
  "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source";

export function toFhirAuditEvent(event: AuditEvent): Record<string, unknown> | null {
  if (event.action !== "disclosure" && event.action !== "break_glass_disclosure") return null;
  return {
    resourceType: "AuditEvent",
    id: event.id,
    meta: { profile: [PROFILE] },
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
        text: event.purpose ?? "safeguarding",
        ...(event.action === "break_glass_disclosure"
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
    agent: [
      {
        type: { coding: [{ system: DCM, code: "110153", display: "Source Role ID" }] },
        who: { identifier: { system: "urn:lantern:partner", value: event.actor.partnerId ?? "unknown" } },
        requestor: true,
        ...(event.actor.sub ? { altId: event.actor.sub } : {}),
      },
      {
        type: { coding: [{ system: DCM, code: "110152", display: "Destination Role ID" }] },
        who: { identifier: { system: "urn:lantern:partner", value: event.recipientId ?? "unknown" } },
        requestor: false,
      },
    ],
    source: {
      observer: { display: "Lantern" },
      type: [
        {
          system: "http://terminology.hl7.org/CodeSystem/security-source-type",
          code: "4",
          display: "Application Server",
        },
      ],
    },
    entity: [
      {
        what: { identifier: { system: "urn:lantern:subject", value: event.subjectId } },
        type: {
          system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
          code: "1",
          display: "Person",
        },
        role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient" },
      },
      {
        what: { identifier: { system: "urn:lantern:notification", value: event.notificationId } },
        type: {
          system: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
          code: "2",
          display: "System Object",
        },
        detail: [
          { type: "dataCategories", valueString: (event.dataCategories ?? []).join(" ") },
          {
            type: "agreement",
            valueString: event.agreement
              ? `${event.agreement.id} v${event.agreement.version}`
              : "none (break glass)",
          },
          { type: "lawfulBasis", valueString: (event.lawfulBasis ?? []).join("; ") },
          { type: "payloadSha256", valueString: event.payloadSha256 ?? "" },
          { type: "hash", valueString: event.hash },
        ],
      },
    ],
  };
}
