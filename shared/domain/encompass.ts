/**
 * The figure a force reports for Operation Encompass (Domestic Abuse Act 2021 s49A): of the
 * domestic abuse notifications to each school, how many were acknowledged before the
 * school's day started. A school's notification is due at the start of its next school day
 * (its `schoolDayStartsAt`, else the rule's `at`), so "before the day started" is "by dueBy".
 */
export interface EncompassFigure {
  schoolId: string;
  notifications: number;
  acknowledgedBeforeSchoolDay: number;
  acknowledgedAfterSchoolDayStarted: number;
  notAcknowledged: number;
}

export const ENCOMPASS_CONCERN_TYPE = "domestic_abuse_child_present";

export function encompassFigure(
  schoolId: string,
  notifications: readonly { concernType: string; dueBy: string; acknowledgedAt: string | null }[],
): EncompassFigure {
  const encompass = notifications.filter((n) => n.concernType === ENCOMPASS_CONCERN_TYPE);
  const before = encompass.filter(
    (n) => n.acknowledgedAt !== null && Date.parse(n.acknowledgedAt) <= Date.parse(n.dueBy),
  );
  const acknowledged = encompass.filter((n) => n.acknowledgedAt !== null);
  return {
    schoolId,
    notifications: encompass.length,
    acknowledgedBeforeSchoolDay: before.length,
    acknowledgedAfterSchoolDayStarted: acknowledged.length - before.length,
    notAcknowledged: encompass.length - acknowledged.length,
  };
}
