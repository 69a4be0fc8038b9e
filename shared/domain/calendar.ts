import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "./bank-holidays.js";
import { isoDate, londonParts, londonTimeToUtc } from "./time.js";

/**
 * An area's calendar, as data IG can change: bank holidays (no school, no working day),
 * school holidays (no school: half terms, INSET days) and the working day's hours, which a
 * MASH may count its deadlines in.
 */
export interface Calendar {
  area: string;
  /** `YYYY-MM-DD`: not a school day and not a working day. */
  holidays: string[];
  /** `YYYY-MM-DD`: not a school day (the MASH still works). */
  schoolHolidays: string[];
  /** London wall-clock hours of a working day, Monday to Friday. */
  workingHours: { start: string; end: string };
}

export const DEFAULT_WORKING_HOURS = { start: "08:00", end: "18:00" };

/**
 * An area's calendar until IG sets one: the bank holidays of England and Wales (from the
 * generated list unless others are passed in), no school holidays, 08:00-18:00.
 */
export function defaultCalendar(
  area: string,
  bankHolidays: readonly string[] = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): Calendar {
  return {
    area,
    holidays: [...bankHolidays],
    schoolHolidays: [],
    workingHours: { ...DEFAULT_WORKING_HOURS },
  };
}

/** Days on which no school opens: the input of `nextSchoolDay`. */
export function nonSchoolDays(calendar: Calendar): Set<string> {
  return new Set([...calendar.holidays, ...calendar.schoolHolidays]);
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
};

function isWorkingDay(calendar: Calendar, year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(isoDate(year, month, day));
}

/**
 * Add a duration counted only in working hours: PT4H received Friday 17:00 with 08:00-18:00
 * working days is due Monday 11:00. Outside working hours the clock waits for the next
 * working day's start; the hours follow London's wall clock across GMT/BST.
 */
export function addWorkingTime(start: Date, durationMs: number, calendar: Calendar): Date {
  const open = minutesOf(calendar.workingHours.start);
  const close = minutesOf(calendar.workingHours.end);
  let remaining = durationMs;
  const today = londonParts(start);
  for (let offset = 0; offset < 3660; offset++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!isWorkingDay(calendar, y, m, day)) continue;
    const opens = londonTimeToUtc(y, m, day, Math.floor(open / 60), open % 60).getTime();
    const closes = londonTimeToUtc(y, m, day, Math.floor(close / 60), close % 60).getTime();
    const from = Math.max(opens, start.getTime());
    if (from >= closes) continue;
    if (remaining <= closes - from) return new Date(from + remaining);
    remaining -= closes - from;
  }
  throw new Error("no working time within ten years: the calendar is wrong");
}
