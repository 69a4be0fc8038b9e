import { describe, expect, it } from "vitest";
import { DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { addWorkingTime, type Calendar, defaultCalendar } from "../../shared/domain/calendar.js";
import { CalendarSchema } from "../../shared/domain/registry.js";
import { dueBy, routeConcern } from "../../shared/domain/routing.js";
import { amyConcern } from "../support/fixtures.js";

const essex = (overrides: Partial<Calendar> = {}): Calendar => ({
  ...defaultCalendar("essex"),
  ...overrides,
});
const HOUR = 3_600_000;

describe("next school day on an area's calendar", () => {
  const schoolRule = { kind: "next_school_day", at: "09:00" } as const;

  it("skips a bank holiday Monday", () => {
    // Prepare: Friday 2027-05-28 21:40 BST; Monday 31 May 2027 is the spring bank holiday.
    const receivedAt = new Date("2027-05-28T20:40:00Z");
    const calendar = essex({ holidays: ["2027-05-31"] });

    // Act
    const due = dueBy(schoolRule, "red", receivedAt, calendar);

    // Assess: Tuesday 09:00 BST
    expect(due.toISOString()).toBe("2027-06-01T08:00:00.000Z");
  });

  it("skips a half term, which is a working day but not a school day", () => {
    const receivedAt = new Date("2027-02-12T18:00:00Z"); // Friday before February half term
    const calendar = essex({
      schoolHolidays: ["2027-02-15", "2027-02-16", "2027-02-17", "2027-02-18", "2027-02-19"],
    });

    expect(dueBy(schoolRule, "red", receivedAt, calendar).toISOString()).toBe("2027-02-22T09:00:00.000Z");
    // The MASH still works in half term: by_risk in working hours is not delayed by it.
    const mash = {
      kind: "by_risk",
      red: "PT4H",
      amber: "PT24H",
      green: "PT72H",
      workingHours: true,
    } as const;
    expect(dueBy(mash, "red", new Date("2027-02-15T09:00:00Z"), calendar).toISOString()).toBe(
      "2027-02-15T13:00:00.000Z",
    );
  });

  it("routes with the area's calendar", () => {
    const calendar = essex({ holidays: ["2026-11-30"] }); // a Monday
    const { recipients } = routeConcern({
      concern: amyConcern(),
      receivedAt: new Date("2026-11-27T21:40:00Z"), // Friday night, GMT
      rules: DEMO_RULES,
      partners: DEMO_PARTNERS,
      calendar,
    });
    expect(recipients.find((r) => r.recipientId === "st-marys-primary")?.dueBy.toISOString()).toBe(
      "2026-12-01T09:00:00.000Z",
    );
  });
});

describe("working-hours arithmetic", () => {
  it("carries a deadline across the weekend", () => {
    // Friday 17:00 GMT, 4 working hours, 08:00-18:00: 1 h on Friday, 3 h on Monday → Monday 11:00.
    const due = addWorkingTime(new Date("2026-11-27T17:00:00Z"), 4 * HOUR, essex());
    expect(due.toISOString()).toBe("2026-11-30T11:00:00.000Z");
  });

  it("starts the clock at opening time when received at night or at the weekend", () => {
    expect(addWorkingTime(new Date("2026-11-28T12:00:00Z"), 2 * HOUR, essex()).toISOString()).toBe(
      "2026-11-30T10:00:00.000Z",
    );
    expect(addWorkingTime(new Date("2026-11-25T05:00:00Z"), HOUR, essex()).toISOString()).toBe(
      "2026-11-25T09:00:00.000Z",
    );
  });

  it("follows London's wall clock across the change to BST", () => {
    // Friday 26 March 2027 17:30 GMT; clocks go forward on Sunday 28 March. (It is Easter:
    // the bank holidays are left out here so that only the clock change is tested.)
    const due = addWorkingTime(new Date("2027-03-26T17:30:00Z"), 2 * HOUR, essex({ holidays: [] }));
    // 30 minutes on Friday, 90 minutes from 08:00 BST (07:00Z) on Monday → 09:30 BST.
    expect(due.toISOString()).toBe("2027-03-29T08:30:00.000Z");
  });

  it("skips bank holidays and honours configured hours", () => {
    const calendar = essex({
      holidays: ["2026-12-25", "2026-12-28"],
      workingHours: { start: "09:00", end: "17:00" },
    });
    // Thursday 24 December 16:00: 1 h left that day, then Christmas, the weekend and the substitute day.
    const due = addWorkingTime(new Date("2026-12-24T16:00:00Z"), 3 * HOUR, calendar);
    expect(due.toISOString()).toBe("2026-12-29T11:00:00.000Z");
  });

  it("counts 24 working hours as more than two working days", () => {
    const due = addWorkingTime(new Date("2026-11-23T08:00:00Z"), 24 * HOUR, essex()); // Monday opening
    expect(due.toISOString()).toBe("2026-11-25T12:00:00.000Z");
  });
});

describe("the calendar schema", () => {
  it("refuses bad dates, bad hours and unknown members", () => {
    const good = {
      holidays: ["2026-12-25"],
      schoolHolidays: [],
      workingHours: { start: "08:00", end: "18:00" },
    };
    expect(CalendarSchema.safeParse(good).success).toBe(true);
    expect(CalendarSchema.safeParse({ ...good, holidays: ["2026-02-30"] }).success).toBe(false);
    expect(
      CalendarSchema.safeParse({ ...good, workingHours: { start: "18:00", end: "08:00" } }).success,
    ).toBe(false);
    expect(CalendarSchema.safeParse({ ...good, timezone: "UTC" }).success).toBe(false);
  });
});
