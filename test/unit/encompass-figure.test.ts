import { describe, expect, it } from "vitest";
import { encompassFigure } from "../../shared/domain/encompass.js";

const DUE = "2026-12-02T08:30:00.000Z";
const notification = (acknowledgedAt: string | null, concernType = "domestic_abuse_child_present") => ({
  concernType,
  dueBy: DUE,
  acknowledgedAt,
});

describe("the Operation Encompass figure per school", () => {
  it("counts domestic abuse notifications acknowledged before the school's day started, after it, and not at all", () => {
    // Prepare
    const notifications = [
      notification("2026-12-01T22:00:00.000Z"),
      notification(DUE), // at the very start of the day: in time
      notification("2026-12-02T08:30:00.001Z"),
      notification(null),
      notification("2026-12-01T22:00:00.000Z", "online_harm"), // not Encompass
    ];

    // Act
    const figure = encompassFigure("st-marys-primary", notifications);

    // Assess
    expect(figure).toEqual({
      schoolId: "st-marys-primary",
      notifications: 4,
      acknowledgedBeforeSchoolDay: 2,
      acknowledgedAfterSchoolDayStarted: 1,
      notAcknowledged: 1,
    });
  });

  it("is all zeros for a school with no notifications", () => {
    // Act
    const figure = encompassFigure("quiet-school", []);

    // Assess
    expect(figure).toEqual({
      schoolId: "quiet-school",
      notifications: 0,
      acknowledgedBeforeSchoolDay: 0,
      acknowledgedAfterSchoolDayStarted: 0,
      notAcknowledged: 0,
    });
  });
});
