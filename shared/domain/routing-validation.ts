import type { Partner, RoutingRule } from "./registry.js";

/** What is wrong with a rule set, beyond its shape: rules that could never route anyone. */
export interface RuleProblem {
  path: string;
  message: string;
}

export function validateRules(rules: readonly RoutingRule[], partners: readonly Partner[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    if (seen.has(rule.id)) problems.push({ path: `${at}/id`, message: `duplicate rule id ${rule.id}` });
    seen.add(rule.id);
    if (new Set(rule.concernTypes).size !== rule.concernTypes.length) {
      problems.push({ path: `${at}/concernTypes`, message: "lists a concern type twice" });
    }
    const selector = rule.recipient;
    if ("partnerId" in selector) {
      if (!partners.some((p) => p.id === selector.partnerId)) {
        problems.push({
          path: `${at}/recipient/partnerId`,
          message: `no partner ${selector.partnerId} is registered: the rule can never match`,
        });
      }
    } else {
      const type = selector.resolve === "subject_school" ? "school" : selector.type;
      if (type === "police") {
        problems.push({ path: `${at}/recipient/type`, message: "police are the discloser, not a recipient" });
      } else if (!partners.some((p) => p.type === type)) {
        problems.push({
          path: `${at}/recipient`,
          message: `no ${type} partner is registered: the rule can never match`,
        });
      }
    }
    const age = rule.conditions?.ageRange;
    if (age && rule.concernTypes.length === 1 && rule.concernTypes[0] === "youth_offending" && age.max < 10) {
      problems.push({
        path: `${at}/conditions/ageRange`,
        message: "children under 10 are below the age of criminal responsibility: the rule can never match",
      });
    }
  });
  return problems;
}
