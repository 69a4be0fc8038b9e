import { isDiscloser, resolverOf } from "./recipients.js";
import type { Agreement, AgreementVersion, Partner, RoutingRule } from "./registry.js";
import { DEFAULT_PURPOSE } from "./vocabulary.js";

/**
 * Where does sharing have a lawful footing? For every routing rule and area, each recipient
 * the rule reaches there, and whether an agreement authorises the discloser to tell it now,
 * for which of the rule's concern types, and until when.
 */

export type CoverageStatus = "covered" | "expiring" | "partial" | "not_covered";

export interface RecipientCoverage {
  recipientId: string;
  discloserId: string;
  status: CoverageStatus;
  agreements: { id: string; version: number; validTo: string; ageRange: { min: number; max: number } }[];
  uncoveredConcernTypes: string[];
  expiresAt: string | null;
}

export interface RuleCoverage {
  ruleId: string;
  area: string;
  concernTypes: string[];
  recipients: RecipientCoverage[];
  /** The rule reaches nobody in this area (no such partner registered). */
  unresolved: boolean;
}

function authorising(
  agreements: readonly Agreement[],
  discloserId: string,
  recipientId: string,
  concernType: string,
  area: string,
  purpose: string,
  now: number,
): { agreement: Agreement; version: AgreementVersion }[] {
  return agreements
    .filter((a) => a.discloserId === discloserId && a.recipientId === recipientId)
    .flatMap((agreement) =>
      agreement.versions
        .filter(
          (v) =>
            v.status === "active" &&
            Date.parse(v.validFrom) <= now &&
            now < Date.parse(v.validTo) &&
            v.concernTypes.includes(concernType as never) &&
            v.areas.includes(area) &&
            v.purposes.includes(purpose),
        )
        .map((version) => ({ agreement, version })),
    );
}

function recipientCoverage(
  rule: RoutingRule,
  area: string,
  discloserId: string,
  recipientId: string,
  agreements: readonly Agreement[],
  now: number,
  withinMs: number,
): RecipientCoverage {
  const purpose = rule.purpose ?? DEFAULT_PURPOSE;
  const found = new Map<
    string,
    { id: string; version: number; validTo: string; ageRange: { min: number; max: number } }
  >();
  const uncovered: string[] = [];
  for (const concernType of rule.concernTypes) {
    const matches = authorising(agreements, discloserId, recipientId, concernType, area, purpose, now);
    if (matches.length === 0) uncovered.push(concernType);
    for (const { agreement, version } of matches) {
      found.set(`${agreement.id}#${version.version}`, {
        id: agreement.id,
        version: version.version,
        validTo: version.validTo,
        ageRange: version.ageRange,
      });
    }
  }
  const list = [...found.values()];
  const expiresAt = list.length > 0 ? (list.map((a) => a.validTo).sort()[0] ?? null) : null;
  let status: CoverageStatus = "covered";
  if (list.length === 0) status = "not_covered";
  else if (uncovered.length > 0) status = "partial";
  else if (expiresAt !== null && Date.parse(expiresAt) - now <= withinMs) status = "expiring";
  return { recipientId, discloserId, status, agreements: list, uncoveredConcernTypes: uncovered, expiresAt };
}

export function coverage(
  rules: readonly RoutingRule[],
  partners: readonly Partner[],
  agreements: readonly Agreement[],
  now: Date,
  withinMs: number,
): RuleCoverage[] {
  const disclosers = partners.filter(isDiscloser);
  const areas = [...new Set(disclosers.flatMap((p) => p.areas))].sort();
  const out: RuleCoverage[] = [];
  for (const rule of rules) {
    for (const area of areas) {
      const recipients = resolverOf(rule.recipient).inArea(rule.recipient, area, partners);
      const rows = disclosers
        .filter((d) => d.areas.includes(area))
        .flatMap((d) =>
          recipients.map((r) =>
            recipientCoverage(rule, area, d.id, r.id, agreements, now.getTime(), withinMs),
          ),
        );
      out.push({
        ruleId: rule.id,
        area,
        concernTypes: [...rule.concernTypes],
        recipients: rows,
        unresolved: recipients.length === 0,
      });
    }
  }
  return out;
}
