import { describe, expect, it } from "vitest";
import { DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import type { ConcernSubmission } from "../../shared/domain/concern.js";
import type { RoutingRule } from "../../shared/domain/registry.js";
import { type RoutedRecipient, routeConcern } from "../../shared/domain/routing.js";
import { DATA_CATEGORIES } from "../../shared/domain/vocabulary.js";
import { amyConcern } from "../support/fixtures.js";

/** Friday 20 November 2026, 21:45 in London (GMT): the school hears on Monday at 09:00. */
const RECEIVED_AT = new Date("2026-11-20T21:45:00.000Z");
const HOUR = 3_600_000;

const hoursAfterReceipt = (hours: number) => new Date(RECEIVED_AT.getTime() + hours * HOUR).toISOString();

function routeDemo(concern: ConcernSubmission, rules: readonly RoutingRule[] = DEMO_RULES) {
  return routeConcern({ concern, receivedAt: RECEIVED_AT, rules, partners: DEMO_PARTNERS });
}

/** Routes as plain data, so a mismatch reads clearly. */
function plain(recipients: readonly RoutedRecipient[]) {
  return recipients.map((r) => ({
    recipientId: r.recipientId,
    ruleIds: r.ruleIds,
    purpose: r.purpose,
    dataCategories: r.dataCategories,
    dueBy: r.dueBy.toISOString(),
  }));
}

function withSubject(overrides: Partial<ConcernSubmission["subject"]>, concern = amyConcern()) {
  return { ...concern, subject: { ...concern.subject, ...overrides } };
}

describe("route with the demo registry", () => {
  it("sends Amy's domestic abuse concern to her school (next school day 09:00) and the Essex MASH (red, +4h)", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(plain(result.recipients)).toEqual([
      {
        recipientId: "st-marys-primary",
        ruleIds: ["encompass-school"],
        purpose: "safeguarding",
        dataCategories: ["identity", "education", "voice_of_child"],
        dueBy: "2026-11-23T09:00:00.000Z",
      },
      {
        recipientId: "essex-mash",
        ruleIds: ["mash-all"],
        purpose: "safeguarding",
        dataCategories: [...DATA_CATEGORIES],
        dueBy: hoursAfterReceipt(4),
      },
    ]);
    expect(result.unresolved).toEqual([]);
  });

  it.each([
    ["red", 4],
    ["amber", 24],
    ["green", 72],
  ] as const)("gives the MASH a %s concern %i hours from receipt", (riskRating, hours) => {
    // Prepare
    const concern = amyConcern({ riskRating });

    // Act
    const result = routeDemo(concern);

    // Assess
    const mash = result.recipients.find((r) => r.recipientId === "essex-mash");
    expect(mash?.dueBy.toISOString()).toBe(hoursAfterReceipt(hours));
  });

  it("does not route youth offending for a 9-year-old at all: no route, nothing unresolved", () => {
    // Prepare: Amy (born 2017-03-02) is 9 on the day of receipt.
    const concern = amyConcern({ concernType: "youth_offending" });

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result).toEqual({ recipients: [], unresolved: [] });
  });

  it("routes youth offending for a 14-year-old to the YOS, due 72 hours from receipt", () => {
    // Prepare
    const concern = withSubject(
      { dateOfBirth: "2012-01-01" },
      amyConcern({ concernType: "youth_offending" }),
    );

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(plain(result.recipients)).toEqual([
      {
        recipientId: "essex-yos",
        ruleIds: ["youth-offending"],
        purpose: "safeguarding",
        dataCategories: ["identity", "contact", "education", "offences", "risk", "officer"],
        dueBy: hoursAfterReceipt(72),
      },
    ]);
    expect(result.unresolved).toEqual([]);
  });

  it.each([
    ["2016-11-20", "10 today", ["essex-yos"]],
    ["2016-11-21", "10 tomorrow", []],
    ["2008-11-21", "17, 18 tomorrow", ["essex-yos"]],
    ["2008-11-20", "18 today", []],
  ])(
    "applies the youth offending age range 10-17 inclusively (born %s: %s)",
    (dateOfBirth, _label, expected) => {
      // Prepare
      const concern = withSubject({ dateOfBirth }, amyConcern({ concernType: "youth_offending" }));

      // Act
      const result = routeDemo(concern);

      // Assess
      expect(result.recipients.map((r) => r.recipientId)).toEqual(expected);
    },
  );

  it("sends a looked-after missing child to the MASH and the emergency duty team (+2h)", () => {
    // Prepare
    const concern = withSubject({ lookedAfter: true }, amyConcern({ concernType: "missing_child" }));

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(plain(result.recipients)).toEqual([
      {
        recipientId: "essex-mash",
        ruleIds: ["mash-all"],
        purpose: "safeguarding",
        dataCategories: [...DATA_CATEGORIES],
        dueBy: hoursAfterReceipt(4),
      },
      {
        recipientId: "essex-edt",
        ruleIds: ["missing-looked-after"],
        purpose: "safeguarding",
        dataCategories: ["identity", "contact", "care_status", "incident", "officer"],
        dueBy: hoursAfterReceipt(2),
      },
    ]);
    expect(result.unresolved).toEqual([]);
  });

  it.each([
    ["not looked after", false],
    ["looked-after status unknown", undefined],
  ])("sends a missing child who is %s only to the MASH", (_label, lookedAfter) => {
    // Prepare
    const concern = withSubject({ lookedAfter }, amyConcern({ concernType: "missing_child" }));

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result.recipients.map((r) => r.recipientId)).toEqual(["essex-mash"]);
    expect(result.unresolved).toEqual([]);
  });

  it.each([
    ["a school that is not registered", "st-elsewhere-primary"],
    ["a registered partner that is not a school", "essex-mash"],
  ])("leaves the school rule unresolved for %s, and still routes the MASH", (_label, schoolId) => {
    // Prepare
    const concern = withSubject({ schoolId });

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result.unresolved).toEqual([{ ruleId: "encompass-school", reason: "school_not_registered" }]);
    expect(result.recipients.map((r) => r.recipientId)).toEqual(["essex-mash"]);
  });

  it("leaves the MASH rule unresolved with no_partner_for_area for an area without a MASH", () => {
    // Prepare
    const concern = amyConcern({ area: "kent" });

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result.unresolved).toEqual([{ ruleId: "mash-all", reason: "no_partner_for_area" }]);
    expect(result.recipients.map((r) => r.recipientId)).toEqual(["st-marys-primary"]);
  });

  it("finds the MASH of the concern's area (southend)", () => {
    // Prepare
    const concern = amyConcern({ area: "southend", concernType: "child_exploitation" });

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result.recipients.map((r) => r.recipientId)).toEqual(["southend-mash"]);
  });

  it("routes neglect to the MASH and to health (by risk), whatever the agreements say", () => {
    // Prepare
    const concern = amyConcern({ concernType: "neglect_or_abuse", riskRating: "amber" });

    // Act
    const result = routeDemo(concern);

    // Assess
    expect(result.recipients.map((r) => [r.recipientId, r.dueBy.toISOString()])).toEqual([
      ["essex-mash", hoursAfterReceipt(24)],
      ["essex-health", hoursAfterReceipt(24)],
    ]);
  });
});

describe("route when two rules reach the same partner", () => {
  const rules: RoutingRule[] = [
    {
      id: "mash-slow",
      concernTypes: ["domestic_abuse_child_present"],
      recipient: { resolve: "area", type: "mash" },
      dataCategories: ["officer", "identity", "risk"],
      due: { kind: "after", duration: "PT24H" },
    },
    {
      id: "mash-fast",
      concernTypes: ["domestic_abuse_child_present"],
      recipient: { partnerId: "essex-mash" },
      dataCategories: ["voice_of_child", "identity", "contact"],
      due: { kind: "after", duration: "PT2H" },
    },
  ];

  it("merges them into one route with the union of the categories and the earlier due time", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const result = routeDemo(concern, rules);

    // Assess
    expect(plain(result.recipients)).toEqual([
      {
        recipientId: "essex-mash",
        ruleIds: ["mash-slow", "mash-fast"],
        purpose: "safeguarding",
        dataCategories: ["identity", "contact", "risk", "voice_of_child", "officer"],
        dueBy: hoursAfterReceipt(2),
      },
    ]);
    expect(result.unresolved).toEqual([]);
  });

  it("keeps the earlier due time when the later rule is slower", () => {
    // Prepare
    const reversed = [...rules].reverse();

    // Act
    const result = routeDemo(amyConcern(), reversed);

    // Assess
    expect(result.recipients).toHaveLength(1);
    expect(result.recipients[0]?.dueBy.toISOString()).toBe(hoursAfterReceipt(2));
    expect(result.recipients[0]?.ruleIds).toEqual(["mash-fast", "mash-slow"]);
  });

  it("reports a named partner that is not registered as partner_not_registered", () => {
    // Prepare
    const orphan: RoutingRule = {
      id: "to-nobody",
      concernTypes: ["domestic_abuse_child_present"],
      recipient: { partnerId: "no-such-partner" },
      dataCategories: ["identity"],
      due: { kind: "after", duration: "PT1H" },
    };

    // Act
    const result = routeDemo(amyConcern(), [orphan]);

    // Assess
    expect(result).toEqual({
      recipients: [],
      unresolved: [{ ruleId: "to-nobody", reason: "partner_not_registered" }],
    });
  });
});
