import { describe, expect, it } from "vitest";
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "../../shared/domain/bank-holidays.js";
import { defaultCalendar, nonSchoolDays } from "../../shared/domain/calendar.js";
import { dueBy } from "../../shared/domain/routing.js";
import { englandAndWalesBankHolidays } from "../support/bank-holidays.js";

const NEXT_SCHOOL_DAY = { kind: "next_school_day", at: "09:00" } as const;
const due = (
  receivedAt: string,
  school: Parameters<typeof dueBy>[4] = null,
  calendar = defaultCalendar("essex"),
) => dueBy(NEXT_SCHOOL_DAY, "red", new Date(receivedAt), calendar, school).toISOString();

describe("the bank holidays of England and Wales", () => {
  it("are exactly what the date-holidays package gives for 2025-2030", () => {
    // Act
    const fromPackage = englandAndWalesBankHolidays(2025, 2030).map((h) => h.date);

    // Assess
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS).toEqual(fromPackage);
    expect(fromPackage).toHaveLength(48);
  });

  it("are in every area's calendar until IG replaces them", () => {
    // Act
    const calendar = defaultCalendar("southend");

    // Assess
    expect(calendar.holidays).toEqual([...ENGLAND_AND_WALES_BANK_HOLIDAYS]);
    expect(nonSchoolDays(calendar).has("2026-12-25")).toBe(true);
  });
});

describe("next school day across the bank holidays of 2026-2027", () => {
  it("skips Christmas, the weekend and the Boxing Day substitute: Thu 24 Dec 2026 21:00 → Tue 29 Dec 09:00", () => {
    // Act
    const result = due("2026-12-24T21:00:00Z");

    // Assess
    expect(result).toBe("2026-12-29T09:00:00.000Z");
  });

  it("skips Good Friday and Easter Monday: Thu 25 Mar 2027 20:00 → Tue 30 Mar 09:00 BST", () => {
    // Act
    const result = due("2027-03-25T20:00:00Z");

    // Assess
    expect(result).toBe("2027-03-30T08:00:00.000Z");
  });

  it("skips both substitute days of Christmas 2027: Fri 24 Dec 2027 18:00 → Wed 29 Dec 09:00", () => {
    // Act
    const result = due("2027-12-24T18:00:00Z");

    // Assess
    expect(result).toBe("2027-12-29T09:00:00.000Z");
  });

  it("skips New Year's Day 2027: Thu 31 Dec 2026 22:00 → Mon 4 Jan 09:00", () => {
    // Act
    const result = due("2026-12-31T22:00:00Z");

    // Assess
    expect(result).toBe("2027-01-04T09:00:00.000Z");
  });
});

describe("a school's own day", () => {
  it("falls due when the school's own day starts", () => {
    // Act: Tuesday 1 December 2026, 21:00.
    const result = due("2026-12-01T21:00:00Z", { schoolDayStartsAt: "08:40" });

    // Assess
    expect(result).toBe("2026-12-02T08:40:00.000Z");
  });

  it("is before 09:00 the same morning when received before the school's start", () => {
    // Act: Wednesday 2 December 2026, 08:30.
    const result = due("2026-12-02T08:30:00Z", { schoolDayStartsAt: "08:45" });

    // Assess
    expect(result).toBe("2026-12-02T08:45:00.000Z");
  });

  it("skips the school's closures (INSET days) as well as the weekend and bank holidays", () => {
    // Act: Thursday 31 December 2026, INSET on Monday 4 and Tuesday 5 January 2027.
    const result = due("2026-12-31T12:00:00Z", {
      closures: ["2027-01-04", "2027-01-05"],
      schoolDayStartsAt: "08:30",
    });

    // Assess
    expect(result).toBe("2027-01-06T08:30:00.000Z");
  });

  it("leaves durations from receipt alone: only next_school_day follows the school", () => {
    // Act
    const after = dueBy(
      { kind: "after", duration: "PT2H" },
      "red",
      new Date("2026-12-24T21:00:00Z"),
      defaultCalendar("essex"),
      {
        closures: ["2026-12-29"],
        schoolDayStartsAt: "08:30",
      },
    );

    // Assess
    expect(after.toISOString()).toBe("2026-12-24T23:00:00.000Z");
  });
});
