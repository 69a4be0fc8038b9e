import type {
  ConcernType,
  NotificationStatus,
  Outcome,
  RefusalReason,
  UnresolvedReason,
} from "../../shared/domain/vocabulary.js";

/**
 * The hub's codes in the words a Key Adult, a social worker or an officer would use. Each
 * table is typed by the hub's own list, so a code added there without words here fails the
 * console's type check (`npm run typecheck` checks console/ too).
 */

export const CONCERN_TYPE_NAMES: Record<ConcernType, string> = {
  domestic_abuse_child_present: "Domestic abuse, child present",
  missing_child: "Missing child",
  child_exploitation: "Child exploitation",
  online_harm: "Online harm",
  neglect_or_abuse: "Neglect or abuse",
  child_in_custody: "Child in custody",
  youth_offending: "Youth offending",
  radicalisation: "Radicalisation",
};

export const REFUSAL_NAMES: Record<RefusalReason, string> = {
  no_agreement: "there is no data-sharing agreement with them",
  agreement_not_active: "their agreement is suspended, revoked or not yet signed off",
  agreement_expired: "their agreement has expired",
  agreement_not_yet_valid: "their agreement has not started yet",
  concern_type_not_covered: "their agreement does not cover this kind of concern",
  outside_age_range: "their agreement does not cover a child of this age",
  outside_area: "their agreement does not cover this area",
  purpose_not_covered: "their agreement does not cover this purpose",
};

export const UNRESOLVED_NAMES: Record<UnresolvedReason, string> = {
  school_not_registered: "the child's school is not registered with Lantern",
  no_partner_for_area: "no partner of that kind is registered for the area",
  partner_not_registered: "the partner the rule names is not registered",
};

export const STATUS_NAMES: Record<NotificationStatus, [string, string]> = {
  delivered: ["Not yet acknowledged", "blue"],
  acknowledged: ["Acknowledged", "green"],
  overdue: ["Overdue", "red"],
  closed: ["Closed", "grey"],
  recalled: ["Recalled by the police", "orange"],
};

export const OUTCOME_NAMES: Record<Outcome, string> = {
  no_further_action: "No further action",
  early_help: "Early help",
  child_in_need: "Child in need",
  child_protection_enquiry: "Child protection enquiry",
  referred_elsewhere: "Referred elsewhere",
  information_only: "Information only",
};

/** A code's words; one this console does not know (a newer hub's) reads as itself. */
export const name = (names: Readonly<Record<string, string>>, code: string) =>
  names[code] ?? code.replace(/_/g, " ");

/** A notification status's words and tag colour, looked up by the code the hub sent. */
export function statusWords(status: string): [string, string] {
  const words: Readonly<Record<string, [string, string]>> = STATUS_NAMES;
  return words[status] ?? [status, "grey"];
}

const london = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A time as people in England read it, whatever the browser's zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : london.format(date);
}

function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return `${hours} hour${hours === 1 ? "" : "s"}${rest ? ` ${rest} minute${rest === 1 ? "" : "s"}` : ""}`;
  }
  const days = Math.floor(hours / 24);
  return `${days} days ${hours % 24} hour${hours % 24 === 1 ? "" : "s"}`;
}

/** "Due in 3 hours 20 minutes" or "Overdue by 2 hours": time left, shown plainly. */
export function timeLeft(dueBy: string, now = Date.now()): string {
  const ms = Date.parse(dueBy) - now;
  return ms >= 0 ? `Due in ${span(ms)}` : `Overdue by ${span(ms)}`;
}

export function duration(seconds: number | null): string {
  return seconds === null ? "none yet" : span(seconds * 1000);
}
