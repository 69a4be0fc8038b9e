import { isDeepStrictEqual } from "node:util";
import { Fhir } from "fhir";

/**
 * Checks of a FHIR R4 AuditEvent: the `fhir` package's R4 validator (errors only: its
 * terminology warnings come from value sets it does not ship), and the rules of IHE BALP
 * "Audit Event for Privacy Disclosure at Source" (ihe.iti.balp 1.1.x, differential of
 * IHE.BasicAudit.PrivacyDisclosure.Source) written out one by one, each failure named.
 */

type Json = Record<string, unknown>;
type Coding = { system?: string; code?: string };

export function r4Errors(resource: object): string[] {
  const result = new Fhir().validate(resource) as {
    messages?: { severity: string; location?: string; message: string }[];
  };
  return (result.messages ?? [])
    .filter((m) => m.severity === "error")
    .map((m) => `${m.location ?? ""}: ${m.message}`);
}

/** R4 JSON: no empty strings, arrays or objects anywhere (a value is present or absent). */
export function emptyValues(value: unknown, path = "$"): string[] {
  if (value === "" || value === null) return [path];
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const entries = Object.entries(value as Json);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyValues(v, `${path}.${k}`));
  }
  return [];
}

const hasCoding = (concept: unknown, system: string, code: string) =>
  ((concept as { coding?: Coding[] } | undefined)?.coding ?? []).some(
    (c) => c.system === system && c.code === code,
  );
const isCoding = (coding: unknown, system: string, code: string) =>
  (coding as Coding | undefined)?.system === system && (coding as Coding | undefined)?.code === code;

const DCM = "http://dicom.nema.org/resources/ontology/DCM";
const PROFILE =
  "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source";

function networkOk(agent: Json | undefined): boolean {
  const network = agent?.network as { address?: string; type?: string } | undefined;
  return Boolean(network?.address && network.type);
}

/** Each BALP PrivacyDisclosure.Source rule the resource breaks, by name. */
export function balpPrivacyDisclosureSourceViolations(resource: Json): string[] {
  const broken: string[] = [];
  const rule = (ok: boolean, name: string) => {
    if (!ok) broken.push(name);
  };
  const agents = (resource.agent as Json[] | undefined) ?? [];
  const entities = (resource.entity as Json[] | undefined) ?? [];
  const subtypes = (resource.subtype as Coding[] | undefined) ?? [];
  const source = agents.filter((a) => hasCoding(a.type, DCM, "110153"));
  const recipient = agents.filter((a) => hasCoding(a.type, DCM, "110152"));
  const custodian = agents.filter((a) => hasCoding(a.type, "http://snomed.info/sct", "159541003"));
  const patient = entities.filter(
    (e) =>
      isCoding(e.type, "http://terminology.hl7.org/CodeSystem/audit-entity-type", "1") &&
      isCoding(e.role, "http://terminology.hl7.org/CodeSystem/object-role", "1"),
  );
  rule(resource.resourceType === "AuditEvent", "resourceType");
  rule(
    ((resource.meta as Json | undefined)?.profile as string[] | undefined)?.includes(PROFILE) ?? false,
    "meta.profile",
  );
  rule(resource.modifierExtension === undefined, "modifierExtension 0..0");
  rule(isCoding(resource.type, DCM, "110106"), "type = DCM#110106");
  rule(
    subtypes.filter((s) =>
      isCoding(s, "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle", "disclose"),
    ).length === 1,
    "subtype:disclosure 1..1",
  );
  rule(resource.action === "R", "action = R");
  rule(typeof resource.outcome === "string", "outcome 1..1");
  rule(agents.length >= 2, "agent 2..*");
  rule(source.length === 1, "agent:source 1..1");
  rule(
    source.every((a) => a.who !== undefined),
    "agent:source.who 1..1",
  );
  rule(source.every(networkOk), "agent:source.network 1..1");
  rule(
    source.every((a) => isDeepStrictEqual(a.who, (resource.source as Json | undefined)?.observer)),
    "val-audit-source",
  );
  rule(recipient.length === 1, "agent:recipient 1..1");
  rule(
    recipient.every((a) => a.who !== undefined),
    "agent:recipient.who 1..1",
  );
  rule(recipient.every(networkOk), "agent:recipient.network 1..1");
  rule(custodian.length <= 1 && custodian.every((a) => a.who !== undefined), "agent:custodian 0..1 with who");
  rule(entities.length >= 2, "entity 2..*");
  rule(patient.length === 1 && patient.every((e) => e.what !== undefined), "entity:patient 1..1 with what");
  return broken;
}
