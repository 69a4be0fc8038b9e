import type { Calendar } from "./calendar.js";
import { londonFormatter, nextSchoolDay } from "./time.js";
import { awaitingAcknowledgement } from "./vocabulary.js";

/**
 * Alerts for people: the email or text that tells a Key Adult (or a partner's escalation
 * contact) a notification is waiting. Pure: what an alert says, when the reminder falls, and
 * whether a failed send is worth trying again.
 */

/** Why a person is alerted: a new notification, one gone overdue, or the reminder before school. */
export type AlertKind = "created" | "overdue" | "reminder";
export type AlertChannel = "email" | "sms";

/** The text goes this long before the school's day starts. */
export const REMINDER_LEAD_MS = 30 * 60_000;

/** Where a school's day starts when neither it nor a routing rule says: Operation Encompass's norm. */
export const DEFAULT_SCHOOL_DAY_STARTS_AT = "09:00";

const dueFormatter = londonFormatter({
  hour: "2-digit",
  minute: "2-digit",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** A due time as a person reads it, on London's clock: "09:00 on Monday 23 November 2026". */
export function formatDue(dueBy: Date): string {
  const parts: Record<string, string> = {};
  for (const p of dueFormatter().formatToParts(dueBy)) parts[p.type] = p.value;
  return `${parts.hour}:${parts.minute} on ${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** What an alert may know: who disclosed, by when, and where to read it. Nothing about the child. */
export interface AlertFacts {
  /** The disclosing partner's name, e.g. "Essex Police". */
  discloser: string;
  dueBy: Date;
  /** `LANTERN_CONSOLE_URL` + `/notifications/{id}`. */
  link: string;
}

/**
 * The Notify personalisation of an alert. One email template serves both email kinds: its
 * subject is `((subject_line))` and its body `((message))` (with `((link))`), so the contract's
 * one email template id suffices; `((discloser))` and `((due))` are there for templates that
 * word it their own way. The text says only who, by when and where: never the child's name,
 * date of birth, address, school or the concern's type, which the facts do not even hold.
 */
export function alertPersonalisation(kind: AlertKind, facts: AlertFacts): Record<string, string> {
  const due = formatDue(facts.dueBy);
  const wording: Record<AlertKind, { subject: string; message: string }> = {
    created: {
      subject: `New safeguarding notification from ${facts.discloser}`,
      message: `${facts.discloser} has sent your school a safeguarding notification. Please read it by ${due}.`,
    },
    overdue: {
      subject: `Overdue safeguarding notification from ${facts.discloser}`,
      message: `A safeguarding notification from ${facts.discloser} to your team was due by ${due} and has not been acknowledged.`,
    },
    reminder: {
      subject: `Unread safeguarding notification from ${facts.discloser}`,
      message: `An unread safeguarding notification from ${facts.discloser} is waiting for you. Please read it by ${due}.`,
    },
  };
  const chosen = wording[kind];
  return {
    subject_line: chosen.subject,
    message: chosen.message,
    discloser: facts.discloser,
    due,
    link: facts.link,
  };
}

/** The console page of a notification: the only place an alert points to. */
export function consoleLink(consoleUrl: string, notificationId: string): string {
  return `${consoleUrl.replace(/\/+$/, "")}/notifications/${encodeURIComponent(notificationId)}`;
}

/**
 * When a school's day starts for a notification: its own `schoolDayStartsAt`, else the
 * earliest `at` of the `next_school_day` rules that routed the notification, else 09:00.
 */
export function schoolDayStart(schoolDayStartsAt: string | undefined, ruleAts: readonly string[]): string {
  if (schoolDayStartsAt) return schoolDayStartsAt;
  return [...ruleAts].sort()[0] ?? DEFAULT_SCHOOL_DAY_STARTS_AT;
}

/**
 * When the reminder text goes: 30 minutes before the start of the first school day that
 * starts after the notification was created, on London's clock (so across the GMT/BST
 * changes), skipping weekends, the area's bank and school holidays and the school's own
 * closures, as due times do. A notification created within those 30 minutes is reminded at
 * once: the day is about to start.
 */
export function reminderAt(
  createdAt: Date,
  dayStartsAt: string,
  calendar: Pick<Calendar, "holidays" | "schoolHolidays">,
  closures: readonly string[] = [],
): Date {
  const closed = new Set([...calendar.holidays, ...calendar.schoolHolidays, ...closures]);
  const start = nextSchoolDay(createdAt, dayStartsAt, closed);
  return new Date(Math.max(createdAt.getTime(), start.getTime() - REMINDER_LEAD_MS));
}

/**
 * Whether the reminder may still go: only while nobody has opened the notification and it
 * is still waiting (unacknowledged or overdue); acknowledged, closed and recalled ones are not.
 */
export function mayRemind(status: string, opened: boolean): boolean {
  return !opened && awaitingAcknowledgement(status);
}

/**
 * Whether an alert may still go, by its notification's status when the attempt is made (a
 * first send or a retry): a reminder while the notification waits (the sweep checks it is
 * unopened); an overdue email only while it is overdue (once acknowledged late, closed or
 * recalled nobody needs chasing); the email on creation unless it was recalled (withdrawn:
 * there is nothing to read).
 */
export function mayAlert(kind: AlertKind, status: string): boolean {
  if (kind === "reminder") return mayRemind(status, false);
  if (kind === "overdue") return status === "overdue";
  return status !== "recalled";
}

/**
 * Notify's answer to a send: 2xx sent; 429 (rate limit) and 5xx are Notify's own trouble and
 * are retried on the outbox schedule, as is no answer; any other 4xx (a bad key, template or
 * address) will fail the same way every time, so it ends the alert at once.
 */
export function sendOutcome(status: number | null): "sent" | "retry" | "permanent" {
  if (status === null) return "retry";
  if (status >= 200 && status < 300) return "sent";
  if (status >= 400 && status < 500 && status !== 429) return "permanent";
  return "retry";
}

/**
 * A UK mobile number in E.164 (`+447...`), from the ways people write one ("07700 900123",
 * "+44 (0)7700 900123", "0044 7700-900123"); null when it is not a UK mobile number.
 */
export function ukMobile(input: string): string | null {
  const compact = input.replace(/[\s\-().]/g, "");
  const national = compact.replace(/^(?:\+44|0044|44)0?/, "0");
  return /^07\d{9}$/.test(national) ? `+44${national.slice(1)}` : null;
}

/** Whom an alert goes to: a school's Key Adult (by token `sub`), or the partner's escalation contact. */
export type AlertAddressee = { kind: "key_adult"; sub: string } | { kind: "escalation_contact" };

/**
 * An alert for a person, as its outbox message carries it: why, how and whom, never the
 * address: each attempt reads the address from the registry as it is then.
 */
export interface AlertRoute {
  kind: AlertKind;
  channel: AlertChannel;
  to: AlertAddressee;
}

/** One alert as GOV.UK Notify takes it. */
export interface AlertMessage {
  channel: AlertChannel;
  templateId: string;
  /** The email address or mobile number, read from the registry just before sending. */
  to: string;
  personalisation: Record<string, string>;
  /** The outbox message id, so Notify's records lead back to it. */
  reference: string;
}

/** The port that sends one alert; never throws: a failure is an attempt like any other. */
export type AlertSender = (
  message: AlertMessage,
) => Promise<{ status: number | null; error: string | null; notifyId: string | null }>;
