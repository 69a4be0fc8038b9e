/**
 * Time rules, pure: the clock is always an argument. Due times are computed in Europe/London
 * because schools and MASHs work to the local day, across the GMT/BST changes.
 */

export const LONDON = "Europe/London";

/** The longest duration a routing rule may name: a year, leap day included. */
export const MAX_DURATION_MS = 366 * 86_400_000;

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds in an ISO 8601 duration (weeks, days, hours, minutes, seconds). Days count as
 * 24 hours: due times are measured from receipt, not on the calendar. Years and months are
 * refused because their length varies. Returns null when the text is not such a duration.
 */
export function parseDuration(text: string): number | null {
  const m = ISO_DURATION.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return null;
  const [, w, d, h, min, s] = m;
  const ms =
    Number(w ?? 0) * 604_800_000 +
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    Number(s ?? 0) * 1000;
  return Number.isFinite(ms) ? ms : null;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

/**
 * A formatter on London's clock, built on first use: the first `Intl.DateTimeFormat` with a
 * time zone loads ICU's zone and locale data (10-40 ms here), which a function that never
 * reads London's clock (the inbox, the audit trail) should not pay at its cold start.
 */
export function londonFormatter(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let formatter: Intl.DateTimeFormat | undefined;
  return () => {
    formatter ??= new Intl.DateTimeFormat("en-GB", { timeZone: LONDON, hourCycle: "h23", ...options });
    return formatter;
  };
}

const partsFormatter = londonFormatter({
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The wall-clock date and time in London at an instant. */
export function londonParts(at: Date): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter().formatToParts(at)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return {
    year,
    month,
    day,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** London's offset from UTC in milliseconds at an instant (0 in GMT, 3,600,000 in BST). */
function londonOffset(at: Date): number {
  const p = londonParts(at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant at which London's clocks show the given local date and time. Two passes settle
 * the offset on either side of a change; times that do not exist (01:30 on the spring change)
 * resolve to the instant one hour later, as clocks do.
 */
export function londonTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - londonOffset(new Date(guess));
  const second = guess - londonOffset(new Date(first));
  return new Date(second);
}

/** `YYYY-MM-DD` of a London calendar day. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The earliest `at` (HH:MM, London) on a weekday that is not in `holidays` (YYYY-MM-DD) and
 * is strictly later than `receivedAt`: received Tuesday 07:00, due Tuesday 09:00; received
 * Tuesday 09:00 or later, due Wednesday 09:00; received Friday 21:40, due Monday 09:00.
 */
export function nextSchoolDay(receivedAt: Date, at: string, holidays: ReadonlySet<string> = new Set()): Date {
  const [hour, minute] = at.split(":").map(Number) as [number, number];
  const today = londonParts(receivedAt);
  // A calendar holds at most 1,500 non-school days (400 bank, 1,000 school holidays, 100
  // closures), so ten years of days always holds a school day: this never throws on valid data.
  for (let offset = 0; offset < 3660; offset++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.has(isoDate(y, m, day))) continue;
    const candidate = londonTimeToUtc(y, m, day, hour, minute);
    if (candidate.getTime() > receivedAt.getTime()) return candidate;
  }
  throw new Error("no school day within ten years: the holiday calendar is wrong");
}

/** Whole years of age on the London calendar day of `at`, from a `YYYY-MM-DD` date of birth. */
export function ageOn(dateOfBirth: string, at: Date): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const today = londonParts(at);
  let age = today.year - by;
  if (today.month < bm || (today.month === bm && today.day < bd)) age -= 1;
  return age;
}

/** RFC 3339 in UTC with milliseconds, the only form Lantern answers with. */
export function utc(at: Date): string {
  return at.toISOString();
}
