import type { Partner, RoutingRule } from "./registry.js";

/** What is wrong with a rule set, beyond its shape: rules that could never route anyone. */
export interface RuleProblem {
  path: string;
  message: string;
}

function recipientProblem(rule: RoutingRule, partners: readonly Partner[]): RuleProblem | null {
  const selector = rule.recipient;
  if ("partnerId" in selector) {
    return partners.some((p) => p.id === selector.partnerId)
      ? null
      : {
          path: "/recipient/partnerId",
          message: `no partner ${selector.partnerId} is registered: the rule can never match`,
        };
  }
  const type = selector.resolve === "subject_school" ? "school" : selector.type;
  if (type === "police")
    return { path: "/recipient/type", message: "police are the discloser, not a recipient" };
  return partners.some((p) => p.type === type)
    ? null
    : { path: "/recipient", message: `no ${type} partner is registered: the rule can never match` };
}

function ageProblem(rule: RoutingRule): RuleProblem | null {
  const age = rule.conditions?.ageRange;
  const onlyOffending = rule.concernTypes.every((t) => t === "youth_offending");
  if (age && onlyOffending && age.max < 10) {
    return {
      path: "/conditions/ageRange",
      message: "children under 10 are below the age of criminal responsibility: the rule can never match",
    };
  }
  return null;
}

export function validateRules(rules: readonly RoutingRule[], partners: readonly Partner[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = (p: RuleProblem | null) => {
      if (p) problems.push({ path: `/rules/${i}${p.path}`, message: p.message });
    };
    if (seen.has(rule.id)) at({ path: "/id", message: `duplicate rule id ${rule.id}` });
    seen.add(rule.id);
    if (new Set(rule.concernTypes).size !== rule.concernTypes.length) {
      at({ path: "/concernTypes", message: "lists a concern type twice" });
    }
    at(recipientProblem(rule, partners));
    at(ageProblem(rule));
  });
  return problems;
}
