import { describe, expect, it } from "vitest";
import { DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { defaultCalendar } from "../../shared/domain/calendar.js";
import type { ConcernSubmission } from "../../shared/domain/concern.js";
import { type Partner, type RoutingRule, RoutingRuleSchema } from "../../shared/domain/registry.js";
import { routeConcern } from "../../shared/domain/routing.js";
import { dueTimeProblems } from "../../shared/domain/routing-validation.js";
import { amyConcern } from "../support/fixtures.js";

/** Tuesday 1 December 2026, 21:00 in London. */
const RECEIVED_AT = new Date("2026-12-01T21:00:00.000Z");

function encompass(
  subject: Partial<ConcernSubmission["subject"]>,
  partners: readonly Partner[] = DEMO_PARTNERS,
) {
  const concern = amyConcern();
  return routeConcern({
    concern: { ...concern, subject: { ...concern.subject, ...subject } },
    receivedAt: RECEIVED_AT,
    rules: DEMO_RULES,
    partners,
    calendar: defaultCalendar("essex"),
  });
}

describe("the local-authority fallback of subject_school", () => {
  it.each([
    ["a home-educated child", { educationStatus: "home_educated" as const }],
    ["a child not on a roll", { educationStatus: "not_on_roll" as const }],
    ["a child with no school", { schoolId: undefined }],
    [
      "a home-educated child whose old school is still on the form",
      { educationStatus: "home_educated" as const, schoolId: "st-marys-primary" },
    ],
  ])("routes the Encompass rule for %s to the area's local authority", (_label, subject) => {
    // Act
    const result = encompass(subject);

    // Assess
    const la = result.recipients.find((r) => r.recipientId === "essex-edt");
    expect(result.recipients.map((r) => r.recipientId).sort()).toEqual(["essex-edt", "essex-mash"]);
    expect(la).toMatchObject({
      ruleIds: ["encompass-school"],
      dataCategories: ["identity", "education", "voice_of_child"],
      dueBy: new Date("2026-12-02T09:00:00.000Z"),
    });
    expect(result.unresolved).toEqual([]);
  });

  it("routes a child on a school's roll to the school, on_roll being the default", () => {
    // Act
    const implicit = encompass({ schoolId: "st-marys-primary" });
    const explicit = encompass({ schoolId: "st-marys-primary", educationStatus: "on_roll" });

    // Assess
    expect(implicit.recipients.map((r) => r.recipientId)).toEqual(["st-marys-primary", "essex-mash"]);
    expect(explicit.recipients.map((r) => r.recipientId)).toEqual(["st-marys-primary", "essex-mash"]);
  });

  it("leaves the rule unresolved when the area has no local authority", () => {
    // Act
    const result = encompass(
      { educationStatus: "home_educated" },
      DEMO_PARTNERS.filter((p) => p.type !== "local_authority"),
    );

    // Assess
    expect(result.unresolved).toEqual([{ ruleId: "encompass-school", reason: "no_partner_for_area" }]);
  });

  it("uses the school's own start and closures for a school recipient", () => {
    // Prepare
    const school = DEMO_PARTNERS.find((p) => p.id === "st-marys-primary") as Partner;
    const partners = DEMO_PARTNERS.map((p) =>
      p.id === school.id ? { ...school, schoolDayStartsAt: "08:35", closures: ["2026-12-02"] } : p,
    );

    // Act
    const result = encompass({ schoolId: school.id }, partners);

    // Assess: Wednesday is an INSET day, so Thursday at 08:35.
    expect(result.recipients.find((r) => r.recipientId === school.id)?.dueBy.toISOString()).toBe(
      "2026-12-03T08:35:00.000Z",
    );
  });
});

describe("durations in routing rules", () => {
  const rule = (duration: string) => ({
    id: "long",
    concernTypes: ["missing_child"],
    recipient: { resolve: "area", type: "mash" },
    dataCategories: ["identity"],
    due: { kind: "after", duration },
  });

  it.each(["P367D", "P53W", "P99999999W", "PT8785H", "P366DT1S"])("refuses %s: over 366 days", (duration) => {
    // Act
    const result = RoutingRuleSchema.safeParse(rule(duration));

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ["due", "duration"], message: expect.stringContaining("366 days") }),
    ]);
  });

  it.each(["P366D", "P52W", "PT8784H", "PT1H"])("accepts %s", (duration) => {
    // Act
    const result = RoutingRuleSchema.safeParse(rule(duration));

    // Assess
    expect(result.success).toBe(true);
  });

  it("refuses a rule whose due time cannot be computed on an area's calendar", () => {
    // Prepare: 366 days counted in working hours on a calendar with one minute of work a day.
    const long = RoutingRuleSchema.parse({
      ...rule("P366D"),
      due: { kind: "after", duration: "P366D", workingHours: true },
    });
    const tight = { ...defaultCalendar("essex"), workingHours: { start: "09:00", end: "09:01" } };

    // Act
    const onTight = dueTimeProblems([long as RoutingRule], [tight], RECEIVED_AT);
    const onDefault = dueTimeProblems([long as RoutingRule], [defaultCalendar("essex")], RECEIVED_AT);

    // Assess
    expect(onTight).toEqual([{ path: "/rules/0/due", message: expect.stringContaining("essex") }]);
    expect(onDefault).toEqual([]);
  });
});
