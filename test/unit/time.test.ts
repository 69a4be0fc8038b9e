import { describe, expect, it } from "vitest";
import { ageOn, londonTimeToUtc, nextSchoolDay, parseDuration } from "../../shared/domain/time.js";

/** Due times follow the London school day, across the GMT/BST changes (contract: Routing rules). */
describe("nextSchoolDay", () => {
  const due = (receivedAt: string, holidays?: ReadonlySet<string>) =>
    nextSchoolDay(new Date(receivedAt), "09:00", holidays).toISOString();

  it("is 09:00 the same day when received before 09:00 on a weekday (Tuesday 07:00 → Tuesday 09:00)", () => {
    // Prepare
    const tuesdaySevenGmt = "2026-11-17T07:00:00Z";

    // Act
    const result = due(tuesdaySevenGmt);

    // Assess
    expect(result).toBe("2026-11-17T09:00:00.000Z");
  });

  it("is the next day when received at exactly 09:00 (Tuesday 09:00 → Wednesday 09:00)", () => {
    // Prepare
    const tuesdayNine = "2026-11-17T09:00:00.000Z";

    // Act
    const result = due(tuesdayNine);

    // Assess
    expect(result).toBe("2026-11-18T09:00:00.000Z");
  });

  it("is the next day when received one millisecond after 09:00", () => {
    // Prepare
    const justAfter = "2026-11-17T09:00:00.001Z";

    // Act
    const result = due(justAfter);

    // Assess
    expect(result).toBe("2026-11-18T09:00:00.000Z");
  });

  it("skips the weekend (Friday 21:40 → Monday 09:00)", () => {
    // Prepare
    const fridayEvening = "2026-11-20T21:40:00Z";

    // Act
    const result = due(fridayEvening);

    // Assess
    expect(result).toBe("2026-11-23T09:00:00.000Z");
  });

  it("is Monday 09:00 when received on a Saturday or a Sunday", () => {
    // Prepare
    const saturday = "2026-11-21T10:00:00Z";
    const sunday = "2026-11-22T23:59:00Z";

    // Act
    const results = [due(saturday), due(sunday)];

    // Assess
    expect(results).toEqual(["2026-11-23T09:00:00.000Z", "2026-11-23T09:00:00.000Z"]);
  });

  it("moves to BST across the last Sunday of March (Friday 21:40 GMT → Monday 09:00 BST = 08:00Z)", () => {
    // Prepare
    const fridayBeforeClocksGoForward = "2027-03-26T21:40:00Z";

    // Act
    const result = due(fridayBeforeClocksGoForward);

    // Assess
    expect(result).toBe("2027-03-29T08:00:00.000Z");
  });

  it("moves back to GMT across the last Sunday of October (Friday in BST → Monday 09:00 GMT = 09:00Z)", () => {
    // Prepare: 21:40Z is 22:40 BST on Friday 23 October 2026; clocks go back on Sunday 25th.
    const fridayBeforeClocksGoBack = "2026-10-23T21:40:00Z";

    // Act
    const result = due(fridayBeforeClocksGoBack);

    // Assess
    expect(result).toBe("2026-10-26T09:00:00.000Z");
  });

  it("skips a configured holiday on the Monday to the Tuesday", () => {
    // Prepare
    const fridayEvening = "2026-11-20T21:40:00Z";
    const holidays = new Set(["2026-11-23"]);

    // Act
    const result = due(fridayEvening, holidays);

    // Assess
    expect(result).toBe("2026-11-24T09:00:00.000Z");
  });

  it("skips a run of holidays and the weekend after it", () => {
    // Prepare: Thursday 2026-12-24 evening, holidays on Friday 25th and Monday 28th.
    const christmasEve = "2026-12-24T18:00:00Z";
    const holidays = new Set(["2026-12-25", "2026-12-28"]);

    // Act
    const result = due(christmasEve, holidays);

    // Assess
    expect(result).toBe("2026-12-29T09:00:00.000Z");
  });

  it("is 09:00 BST the same day when received at 08:30 BST on a weekday", () => {
    // Prepare: Tuesday 16 June 2026, 07:30Z is 08:30 in London.
    const tuesdayMorningBst = "2026-06-16T07:30:00Z";

    // Act
    const result = due(tuesdayMorningBst);

    // Assess
    expect(result).toBe("2026-06-16T08:00:00.000Z");
  });

  it("is the next day when received at 09:30 BST, although it is only 08:30 UTC", () => {
    // Prepare
    const tuesdayAfterNineBst = "2026-06-16T08:30:00Z";

    // Act
    const result = due(tuesdayAfterNineBst);

    // Assess
    expect(result).toBe("2026-06-17T08:00:00.000Z");
  });

  it("uses the London calendar day when UTC is still on the day before (Monday 23:30Z = Tuesday 00:30 BST)", () => {
    // Prepare
    const lateMondayUtc = "2026-06-15T23:30:00Z";

    // Act
    const result = due(lateMondayUtc);

    // Assess
    expect(result).toBe("2026-06-16T08:00:00.000Z");
  });
});

describe("parseDuration", () => {
  it.each([
    ["PT4H", 4 * 3_600_000],
    ["P1D", 86_400_000],
    ["PT1H30M", 90 * 60_000],
    ["P1W", 7 * 86_400_000],
    ["PT72H", 72 * 3_600_000],
    ["PT90S", 90_000],
    ["P1DT2H", 26 * 3_600_000],
  ])("reads %s as %i ms", (text, expected) => {
    // Prepare: the table above.

    // Act
    const result = parseDuration(text);

    // Assess
    expect(result).toBe(expected);
  });

  it.each(["P", "PT", "P1Y", "P1M", "4h", "", "P1DT", "PT4h", "1H", " PT4H"])("refuses %j", (text) => {
    // Prepare: the table above.

    // Act
    const result = parseDuration(text);

    // Assess
    expect(result).toBeNull();
  });
});

describe("ageOn", () => {
  it("counts the birthday itself as the new year of age", () => {
    // Prepare
    const dateOfBirth = "2017-03-02";
    const birthday = new Date("2026-03-02T12:00:00Z");

    // Act
    const age = ageOn(dateOfBirth, birthday);

    // Assess
    expect(age).toBe(9);
  });

  it("is one less on the day before the birthday", () => {
    // Prepare
    const dateOfBirth = "2017-03-02";
    const dayBefore = new Date("2026-03-01T23:59:59Z");

    // Act
    const age = ageOn(dateOfBirth, dayBefore);

    // Assess
    expect(age).toBe(8);
  });

  it("turns a 29 February birth a year older on 1 March in a common year, not on 28 February", () => {
    // Prepare
    const dateOfBirth = "2008-02-29";

    // Act
    const on28Feb = ageOn(dateOfBirth, new Date("2026-02-28T12:00:00Z"));
    const on1Mar = ageOn(dateOfBirth, new Date("2026-03-01T12:00:00Z"));

    // Assess
    expect([on28Feb, on1Mar]).toEqual([17, 18]);
  });

  it("turns a 29 February birth a year older on 29 February in a leap year", () => {
    // Prepare
    const dateOfBirth = "2012-02-29";

    // Act
    const on28Feb = ageOn(dateOfBirth, new Date("2028-02-28T12:00:00Z"));
    const on29Feb = ageOn(dateOfBirth, new Date("2028-02-29T12:00:00Z"));

    // Assess
    expect([on28Feb, on29Feb]).toEqual([15, 16]);
  });

  it("uses the London calendar day (23:30Z on 14 June is already 15 June in BST)", () => {
    // Prepare
    const dateOfBirth = "2010-06-15";
    const lateEveningUtc = new Date("2028-06-14T23:30:00Z");

    // Act
    const age = ageOn(dateOfBirth, lateEveningUtc);

    // Assess
    expect(age).toBe(18);
  });
});

describe("londonTimeToUtc", () => {
  it("is the same wall-clock time in UTC while London is on GMT", () => {
    // Prepare
    const [year, month, day, hour, minute] = [2026, 1, 15, 9, 0] as const;

    // Act
    const result = londonTimeToUtc(year, month, day, hour, minute);

    // Assess
    expect(result.toISOString()).toBe("2026-01-15T09:00:00.000Z");
  });

  it("is one hour earlier in UTC while London is on BST", () => {
    // Prepare
    const [year, month, day, hour, minute] = [2026, 7, 1, 9, 0] as const;

    // Act
    const result = londonTimeToUtc(year, month, day, hour, minute);

    // Assess
    expect(result.toISOString()).toBe("2026-07-01T08:00:00.000Z");
  });

  it("settles on the right side of each change on the day itself", () => {
    // Prepare: clocks go forward at 01:00Z on 2027-03-28 and back at 01:00Z on 2026-10-25.

    // Act
    const springMorning = londonTimeToUtc(2027, 3, 28, 9, 0);
    const springJustBefore = londonTimeToUtc(2027, 3, 28, 0, 30);
    const autumnMorning = londonTimeToUtc(2026, 10, 25, 9, 0);
    const autumnJustBefore = londonTimeToUtc(2026, 10, 24, 23, 30);

    // Assess
    expect(springMorning.toISOString()).toBe("2027-03-28T08:00:00.000Z");
    expect(springJustBefore.toISOString()).toBe("2027-03-28T00:30:00.000Z");
    expect(autumnMorning.toISOString()).toBe("2026-10-25T09:00:00.000Z");
    expect(autumnJustBefore.toISOString()).toBe("2026-10-24T22:30:00.000Z");
  });

  it("resolves a time that does not exist (01:30 on the spring change) to one hour later, 02:30 BST", () => {
    // Prepare
    const [year, month, day, hour, minute] = [2027, 3, 28, 1, 30] as const;

    // Act
    const result = londonTimeToUtc(year, month, day, hour, minute);

    // Assess
    expect(result.toISOString()).toBe("2027-03-28T01:30:00.000Z");
  });
});
