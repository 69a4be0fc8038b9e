import type { Calendar } from "../domain/calendar.js";
import type { RoutingRule } from "../domain/registry.js";
import { dueTimeProblems, validateRules } from "../domain/routing-validation.js";
import { conflict, validationFailed } from "../errors.js";
import type { Caller } from "./context.js";
import { changeEvent, type RegistryDeps } from "./registry-change.js";
import { checkRulesFit } from "./transaction-limit.js";

/** IG's routing rules and calendars: policy data, replaced whole, audited like any change. */

export async function readRoutingRules(deps: RegistryDeps) {
  return { rules: (await deps.registry.routingRuleSet()).value };
}

export async function replaceRoutingRules(deps: RegistryDeps, caller: Caller, rules: RoutingRule[]) {
  const partners = await deps.registry.listPartners();
  const areas = [...new Set(partners.flatMap((p) => p.areas))];
  const calendars = await Promise.all(areas.map(async (area) => (await deps.registry.calendar(area)).value));
  const problems = validateRules(rules, partners);
  if (problems.length === 0) problems.push(...dueTimeProblems(rules, calendars, deps.clock.now()));
  if (problems.length > 0)
    throw validationFailed(problems, "The routing rules are not valid; the rules in force are unchanged.");
  const current = await deps.registry.routingRuleSet();
  checkRulesFit(partners, current.value, rules);
  const at = deps.clock.now().toISOString();
  const result = await deps.registry.replaceRoutingRules(rules, current.revision, [
    changeEvent(
      deps,
      caller,
      at,
      "routing_changed",
      { kind: "routing_rules", id: "all" },
      `replaced_${rules.length}_rules`,
    ),
  ]);
  if (result === "conflict")
    throw conflict("The routing rules changed while these were being saved; read them and try again.");
  return { rules };
}

export async function readCalendar(deps: RegistryDeps, area: string) {
  return (await deps.registry.calendar(area)).value;
}

/** Bank holidays, school holidays and working hours of an area: policy data, audited like rules. */
export async function replaceCalendar(
  deps: RegistryDeps,
  caller: Caller,
  area: string,
  terms: Omit<Calendar, "area">,
) {
  const current = await deps.registry.calendar(area);
  const at = deps.clock.now().toISOString();
  const calendar: Calendar = {
    area,
    holidays: [...new Set(terms.holidays)].sort(),
    schoolHolidays: [...new Set(terms.schoolHolidays)].sort(),
    workingHours: terms.workingHours,
  };
  // A calendar on which a rule's due time cannot be computed would fail submissions: refuse it.
  const problems = dueTimeProblems(await deps.registry.routingRules(), [calendar], deps.clock.now());
  if (problems.length > 0) {
    throw validationFailed(
      problems.map((p) => ({ path: "/workingHours", message: `routing ${p.path.slice(1)}: ${p.message}` })),
      "The routing rules in force could not compute their due times on this calendar; it is unchanged.",
    );
  }
  const result = await deps.registry.replaceCalendar(calendar, current.revision, [
    changeEvent(deps, caller, at, "routing_changed", { kind: "calendar", id: area }, "calendar_replaced"),
  ]);
  if (result === "conflict")
    throw conflict("The calendar changed while this was being saved; read it and try again.");
  return calendar;
}
