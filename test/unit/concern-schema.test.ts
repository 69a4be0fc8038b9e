import { describe, expect, it } from "vitest";
import { ConcernSubmissionSchema } from "../../shared/domain/concern.js";
import { amyConcern } from "../support/fixtures.js";

/** A plain JSON copy of Amy's concern that a test may break however it likes. */
function body(): Record<string, unknown> & { subject: Record<string, unknown> } {
  return structuredClone(amyConcern()) as unknown as Record<string, unknown> & {
    subject: Record<string, unknown>;
  };
}

function issuePaths(value: unknown): PropertyKey[][] {
  const result = ConcernSubmissionSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path);
}

describe("ConcernSubmissionSchema", () => {
  it("accepts the contract's example concern (Amy)", () => {
    // Prepare
    const concern = amyConcern();

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toEqual(concern);
  });

  it("accepts a concern with only the required members", () => {
    // Prepare
    const minimal = {
      concernType: "missing_child",
      riskRating: "amber",
      occurredAt: "2026-11-20T21:40:00+00:00",
      area: "essex",
      subject: { givenName: "Amy", familyName: "Example", dateOfBirth: "2017-03-02" },
      voiceOfChild: { seen: false, spokenTo: true },
    };

    // Act
    const result = ConcernSubmissionSchema.safeParse(minimal);

    // Assess
    expect(result.success).toBe(true);
  });

  it("refuses an unknown top-level member", () => {
    // Prepare
    const concern = { ...body(), nationalInsuranceNumber: "QQ123456C" };

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.code)).toContain("unrecognized_keys");
  });

  it("refuses an unknown nested member", () => {
    // Prepare
    const concern = body();
    concern.subject.nickname = "Ames";

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", path: ["subject"], keys: ["nickname"] }),
    ]);
  });

  it("refuses spokenTo false without a reasonNotSpokenTo, at voiceOfChild.reasonNotSpokenTo", () => {
    // Prepare
    const concern = { ...body(), voiceOfChild: { seen: true, spokenTo: false } };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["voiceOfChild", "reasonNotSpokenTo"]]);
  });

  it("refuses spokenTo false with a blank reasonNotSpokenTo", () => {
    // Prepare
    const concern = { ...body(), voiceOfChild: { seen: true, spokenTo: false, reasonNotSpokenTo: "   " } };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["voiceOfChild", "reasonNotSpokenTo"]]);
  });

  it("refuses a concern without voiceOfChild", () => {
    // Prepare
    const { voiceOfChild: _voice, ...concern } = body();

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["voiceOfChild"]]);
  });

  it.each([
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "\udc00"],
    ["a lone surrogate inside text", "Am\ud800y"],
    ["surrogates in the wrong order", "\udc00\ud800"],
  ])("refuses %s in a string", (_label, givenName) => {
    // Prepare
    const concern = body();
    concern.subject.givenName = givenName;

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["subject", "givenName"]]);
  });

  it("accepts a properly paired surrogate (an emoji)", () => {
    // Prepare
    const concern = { ...body(), voiceOfChild: { seen: true, spokenTo: true, views: "drew a \ud83d\ude00" } };

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(["2017-02-30", "2017-02-29", "2017-13-01", "17-03-02", "2017-3-2", "2017-03-02T00:00:00Z"])(
    "refuses the date of birth %j",
    (dateOfBirth) => {
      // Prepare
      const concern = body();
      concern.subject.dateOfBirth = dateOfBirth;

      // Act
      const paths = issuePaths(concern);

      // Assess
      expect(paths).toEqual([["subject", "dateOfBirth"]]);
    },
  );

  it("accepts 29 February in a leap year as a date of birth", () => {
    // Prepare
    const concern = body();
    concern.subject.dateOfBirth = "2016-02-29";

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(true);
  });

  it("refuses a break-glass justification shorter than 30 characters", () => {
    // Prepare
    const concern = { ...body(), breakGlass: { justification: "x".repeat(29) } };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["breakGlass", "justification"]]);
  });

  it("refuses a break-glass justification padded with spaces to 30 characters", () => {
    // Prepare
    const concern = { ...body(), breakGlass: { justification: `${"x".repeat(20)}${" ".repeat(20)}` } };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["breakGlass", "justification"]]);
  });

  it("accepts a break-glass justification of 30 characters", () => {
    // Prepare
    const concern = { ...body(), breakGlass: { justification: "x".repeat(30) } };

    // Act
    const result = ConcernSubmissionSchema.safeParse(concern);

    // Assess
    expect(result.success).toBe(true);
  });

  it("refuses an unknown concernType", () => {
    // Prepare
    const concern = { ...body(), concernType: "parking_offence" };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["concernType"]]);
  });

  it("refuses an unknown risk rating and an occurredAt without a zone", () => {
    // Prepare
    const concern = { ...body(), riskRating: "purple", occurredAt: "2026-11-20T21:40:00" };

    // Act
    const paths = issuePaths(concern);

    // Assess
    expect(paths).toEqual([["riskRating"], ["occurredAt"]]);
  });
});
