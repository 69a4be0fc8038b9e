import type { Partner, RoutingRule } from "../domain/registry.js";
import {
  largestSubmission,
  MAX_SUBMISSION_ITEMS,
  transactionLimitProblem,
} from "../domain/transaction-size.js";
import { transactionLimit } from "../errors.js";
import type { RegistryDeps } from "./registry-change.js";

/**
 * Configuration IG sets is checked when it is set: a rule set or a partner with which some
 * submission would write more records than its one transaction takes is refused (409), so it
 * can never fail a later submission. A change that leaves the bound no larger is let through
 * even over the limit, so a registry already over it can still be changed towards it.
 */
function refuseIfLarger(
  before: { rules: readonly RoutingRule[]; partners: readonly Partner[] },
  after: { rules: readonly RoutingRule[]; partners: readonly Partner[] },
): void {
  const problem = transactionLimitProblem(after.rules, after.partners);
  if (!problem) return;
  const was = largestSubmission(before.rules, before.partners).items;
  if (was > MAX_SUBMISSION_ITEMS && largestSubmission(after.rules, after.partners).items <= was) return;
  throw transactionLimit(`${problem} Nothing was changed.`);
}

/** Before replacing the routing rules with `rules`. */
export function checkRulesFit(
  partners: readonly Partner[],
  current: readonly RoutingRule[],
  rules: readonly RoutingRule[],
) {
  refuseIfLarger({ rules: current, partners }, { rules, partners });
}

/** Before registering `partner`, or changing it to be so. */
export async function checkPartnerFits(
  deps: Pick<RegistryDeps, "registry">,
  partner: Partner,
): Promise<void> {
  const [partners, rules] = await Promise.all([deps.registry.listPartners(), deps.registry.routingRules()]);
  const others = partners.filter((p) => p.id !== partner.id);
  refuseIfLarger({ rules, partners }, { rules, partners: [...others, partner] });
}
