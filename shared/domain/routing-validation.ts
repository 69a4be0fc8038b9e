import type { Calendar } from "./calendar.js";
import { resolverOf } from "./recipients.js";
import type { Partner, RoutingRule } from "./registry.js";
import { dueBy } from "./routing.js";
import { RISK_RATINGS } from "./vocabulary.js";

/** What is wrong with a rule set, beyond its shape: rules that could never route anyone. */
export interface RuleProblem {
  path: string;
  message: string;
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
  if (rules.length === 0) {
    problems.push({ path: "/rules", message: "must hold at least one rule: an empty set routes nobody" });
  }
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
    at(resolverOf(rule.recipient).problem(rule.recipient, partners));
    at(ageProblem(rule));
  });
  return problems;
}

/**
 * Rules whose due times cannot be computed on one of the given calendars (a long duration in
 * working hours on a calendar with almost none), found at PUT so a submission never meets
 * them. Each rule is tried from `now` for every risk rating on every calendar.
 */
export function dueTimeProblems(
  rules: readonly RoutingRule[],
  calendars: readonly Calendar[],
  now: Date,
): RuleProblem[] {
  const problems: RuleProblem[] = [];
  rules.forEach((rule, i) => {
    const risks = rule.due.kind === "by_risk" ? RISK_RATINGS : (["red"] as const);
    const failing = calendars.find((calendar) =>
      risks.some((risk) => {
        try {
          dueBy(rule.due, risk, now, calendar);
          return false;
        } catch {
          return true;
        }
      }),
    );
    if (failing) {
      problems.push({
        path: `/rules/${i}/due`,
        message: `no due time can be computed on the calendar of ${failing.area || "the default"}: too few working hours for this duration`,
      });
    }
  });
  return problems;
}
