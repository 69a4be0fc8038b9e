import { resolverOf } from "./recipients.js";
import type { Partner, RoutingRule } from "./registry.js";
import { CONCERN_TYPES, type ConcernType } from "./vocabulary.js";

/**
 * How many records one submission can write, bounded from the routing rules and the registry
 * alone. A submission commits everything in one transaction and the store takes at most
 * `MAX_SUBMISSION_ITEMS` in one (DynamoDB's TransactWriteItems limit), so a rule set or a
 * partner that could make a submission exceed it is refused when it is set, never found out
 * by a failing submission later.
 */

/** The most records one transaction may write (DynamoDB TransactWriteItems). */
export const MAX_SUBMISSION_ITEMS = 100;

/**
 * Written by every submission whoever it reaches: the idempotency record, the check on the
 * registry epoch, the concern and its erasure entry.
 */
export const SUBMISSION_FIXED_ITEMS = 4;

/**
 * The most one recipient adds: its audit event, the notification, the notification's erasure
 * entry and a review (break glass, or a withheld disclosure); its webhook push; for a school,
 * an email to each Key Adult with an address and a text to each with a mobile.
 */
export function itemsPerRecipient(partner: Partner): number {
  const alerts =
    partner.type === "school"
      ? (partner.keyAdults ?? []).reduce((n, adult) => n + (adult.email ? 1 : 0) + (adult.mobile ? 1 : 0), 0)
      : 0;
  return 4 + (partner.webhook ? 1 : 0) + alerts;
}

export interface SubmissionBound {
  /** The most records a submission of this concern type in this area writes. */
  items: number;
  concernType: ConcernType;
  area: string;
  recipients: number;
  /** The rules that reach those recipients, the one adding most records first. */
  ruleIds: string[];
}

const weight = (partners: Iterable<Partner>) => [...partners].reduce((n, p) => n + itemsPerRecipient(p), 0);

/**
 * The worst case for one concern type in one area. Conditions on a rule (risk, age, looked
 * after) are ignored: a rule is taken to match whenever its concern type does. Rules with
 * one reachable set add it; a selector with alternatives (the child's school, or the area's
 * local authorities) resolves alike for every rule naming it, so each distinct selector adds
 * its heaviest alternative once. Recipients are counted once, as routing merges them.
 */
function boundFor(
  rules: readonly RoutingRule[],
  partners: readonly Partner[],
  concernType: ConcernType,
  area: string,
): SubmissionBound {
  const matching = rules.filter((r) => r.concernTypes.includes(concernType));
  const reached = new Map<string, Partner>();
  const added = new Map<string, number>();
  const note = (ruleId: string, set: readonly Partner[]) => {
    const fresh = set.filter((p) => !reached.has(p.id));
    for (const p of fresh) reached.set(p.id, p);
    added.set(ruleId, (added.get(ruleId) ?? 0) + weight(fresh));
  };
  const alternatives = new Map<string, { ruleId: string; sets: Partner[][] }>();
  for (const rule of matching) {
    const sets = resolverOf(rule.recipient).reachable(rule.recipient, area, partners);
    if (sets.length === 1) note(rule.id, sets[0] ?? []);
    else {
      const key = JSON.stringify(rule.recipient);
      if (!alternatives.has(key)) alternatives.set(key, { ruleId: rule.id, sets });
    }
  }
  for (const { ruleId, sets } of alternatives.values()) {
    const extra = (set: Partner[]) => weight(set.filter((p) => !reached.has(p.id)));
    const heaviest = sets.reduce<Partner[]>((best, set) => (extra(set) > extra(best) ? set : best), []);
    note(ruleId, heaviest);
  }
  const ruleIds = [...added.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([id]) => id);
  return {
    items: SUBMISSION_FIXED_ITEMS + weight(reached.values()),
    concernType,
    area,
    recipients: reached.size,
    ruleIds,
  };
}

/** The largest submission the rules and partners allow, over every concern type and area. */
export function largestSubmission(
  rules: readonly RoutingRule[],
  partners: readonly Partner[],
): SubmissionBound {
  const areas = [...new Set(partners.flatMap((p) => p.areas))];
  let largest: SubmissionBound | null = null;
  for (const concernType of CONCERN_TYPES)
    for (const area of areas.length > 0 ? areas : [""]) {
      const bound = boundFor(rules, partners, concernType, area);
      if (!largest || bound.items > largest.items) largest = bound;
    }
  return (
    largest ?? {
      items: SUBMISSION_FIXED_ITEMS,
      concernType: CONCERN_TYPES[0],
      area: "",
      recipients: 0,
      ruleIds: [],
    }
  );
}

/** Why the rules and partners could make a submission too large for its transaction, or null. */
export function transactionLimitProblem(
  rules: readonly RoutingRule[],
  partners: readonly Partner[],
): string | null {
  const largest = largestSubmission(rules, partners);
  if (largest.items <= MAX_SUBMISSION_ITEMS) return null;
  const [first, ...others] = largest.ruleIds;
  const also = others.length > 0 ? ` (with ${others.map((id) => `"${id}"`).join(", ")})` : "";
  return (
    `Rule "${first}"${also} could route a ${largest.concernType} concern in ${largest.area || "any area"} ` +
    `to ${largest.recipients} partners: ${largest.items} records in the submission's one transaction, ` +
    `over the limit of ${MAX_SUBMISSION_ITEMS}. Narrow the rule (a partner by id, or fewer partners of the type in the area).`
  );
}
