import { addWorkingTime, type Calendar, defaultCalendar, nonSchoolDays } from "./calendar.js";
import type { ConcernSubmission } from "./concern.js";
import { resolverOf } from "./recipients.js";
import type { DueRule, Partner, RoutingRule } from "./registry.js";
import { ageOn, nextSchoolDay, parseDuration } from "./time.js";
import { DATA_CATEGORIES, type DataCategory, DEFAULT_PURPOSE, type UnresolvedReason } from "./vocabulary.js";

/** One partner that must hear about a concern, with what it needs and by when. */
export interface RoutedRecipient {
  recipientId: string;
  ruleIds: string[];
  purpose: string;
  dataCategories: DataCategory[];
  dueBy: Date;
}

/** A rule that matched but whose recipient could not be found (an unregistered school, say). */
export interface UnresolvedRoute {
  ruleId: string;
  reason: UnresolvedReason;
}

export interface RoutingInput {
  concern: Pick<ConcernSubmission, "concernType" | "riskRating" | "area" | "subject">;
  receivedAt: Date;
  rules: readonly RoutingRule[];
  partners: readonly Partner[];
  /** The concern's area's calendar; weekends only when none is configured. */
  calendar?: Calendar;
}

/** Keep categories in the vocabulary's order so payloads and audit events read the same way. */
export function orderCategories(categories: Iterable<DataCategory>): DataCategory[] {
  const set = new Set(categories);
  return DATA_CATEGORIES.filter((c) => set.has(c));
}

/** A school's own day: when it starts and the days it is closed though the area's schools are open. */
export type SchoolDay = Pick<Partner, "schoolDayStartsAt" | "closures">;

/**
 * When a notification made under `due` falls due, on the area's calendar. A school hears
 * before its own day starts (`schoolDayStartsAt`, else the rule's `at`) on a day it is open.
 */
export function dueBy(
  due: DueRule,
  riskRating: ConcernSubmission["riskRating"],
  receivedAt: Date,
  calendar: Calendar = defaultCalendar(""),
  school: SchoolDay | null = null,
): Date {
  if (due.kind === "next_school_day") {
    const closed = nonSchoolDays(calendar);
    for (const day of school?.closures ?? []) closed.add(day);
    return nextSchoolDay(receivedAt, school?.schoolDayStartsAt ?? due.at, closed);
  }
  const ms = parseDuration(due.kind === "by_risk" ? due[riskRating] : due.duration) ?? 0;
  return due.workingHours ? addWorkingTime(receivedAt, ms, calendar) : new Date(receivedAt.getTime() + ms);
}

function conditionsMatch(rule: RoutingRule, input: RoutingInput): boolean {
  const conditions = rule.conditions;
  if (!conditions) return true;
  if (conditions.ageRange) {
    const age = ageOn(input.concern.subject.dateOfBirth, input.receivedAt);
    if (age < conditions.ageRange.min || age > conditions.ageRange.max) return false;
  }
  if (
    conditions.lookedAfter !== undefined &&
    (input.concern.subject.lookedAfter ?? false) !== conditions.lookedAfter
  ) {
    return false;
  }
  return true;
}

/**
 * Which partners must hear about a concern. A rule whose conditions do not match reaches no
 * one, not even as unresolved. When two rules reach the same partner it gets one
 * notification: the union of the categories and the earlier due time.
 */
export function routeConcern(input: RoutingInput): {
  recipients: RoutedRecipient[];
  unresolved: UnresolvedRoute[];
} {
  const byRecipient = new Map<string, RoutedRecipient>();
  const unresolved: UnresolvedRoute[] = [];
  for (const rule of input.rules) {
    if (!rule.concernTypes.includes(input.concern.concernType) || !conditionsMatch(rule, input)) continue;
    const recipients = resolverOf(rule.recipient).resolve(rule.recipient, input);
    if (typeof recipients === "string") {
      unresolved.push({ ruleId: rule.id, reason: recipients });
      continue;
    }
    for (const partner of recipients) {
      const school = partner.type === "school" ? partner : null;
      const due = dueBy(rule.due, input.concern.riskRating, input.receivedAt, input.calendar, school);
      const existing = byRecipient.get(partner.id);
      if (existing) {
        existing.ruleIds.push(rule.id);
        existing.dataCategories = orderCategories([...existing.dataCategories, ...rule.dataCategories]);
        if (due < existing.dueBy) existing.dueBy = due;
        continue;
      }
      byRecipient.set(partner.id, {
        recipientId: partner.id,
        ruleIds: [rule.id],
        purpose: rule.purpose ?? DEFAULT_PURPOSE,
        dataCategories: orderCategories(rule.dataCategories),
        dueBy: due,
      });
    }
  }
  return { recipients: [...byRecipient.values()], unresolved };
}
