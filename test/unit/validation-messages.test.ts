import { describe, expect, it } from "vitest";
import { AuditQuerySchema, OutcomeRequestSchema } from "../../shared/api/schemas.js";
import { ConcernSubmissionSchema } from "../../shared/domain/concern.js";
import { AgreementCreateSchema } from "../../shared/domain/registry.js";
import { LanternError } from "../../shared/errors.js";
import { validate } from "../../shared/http/request.js";

/**
 * The schemas are zod/mini, which carries no messages of its own (only "Invalid input"): the
 * English locale set in shared/domain/text.ts gives problem details the texts zod classic gave,
 * so `errors[].message` did not change with the switch.
 */
function errorsOf(schema: Parameters<typeof validate>[0], value: unknown) {
  try {
    validate(schema, value, "body");
  } catch (error) {
    if (error instanceof LanternError) return error.extra.errors;
    throw error;
  }
  throw new Error("expected the value to be refused");
}

describe("validation messages in problem details", () => {
  it("are zod's English texts for types, options, sizes and formats", () => {
    // Prepare
    const outcome = { outcome: "nope", note: 5 };
    const query = { limit: "0", from: "yesterday", subjectId: "x" };

    // Act
    const outcomeErrors = errorsOf(OutcomeRequestSchema, outcome);
    const queryErrors = errorsOf(AuditQuerySchema, query);

    // Assess
    expect(outcomeErrors).toEqual([
      {
        path: "/outcome",
        message:
          'Invalid option: expected one of "no_further_action"|"early_help"|"child_in_need"|"child_protection_enquiry"|"referred_elsewhere"|"information_only"',
      },
      { path: "/note", message: "Invalid input: expected string, received number" },
    ]);
    expect(queryErrors).toEqual([
      { path: "/subjectId", message: "Invalid string: must match pattern /^subj_[A-Za-z0-9_-]{1,59}$/" },
      { path: "/from", message: "Invalid ISO datetime" },
      { path: "/limit", message: "Too small: expected number to be >=1" },
    ]);
  });

  it("keep the hub's own texts and name unknown members", () => {
    // Prepare
    const concern = { concernType: "missing_child", extra: true };
    const agreement = { id: "A", validFrom: "2026-01-02T00:00:00Z", validTo: "2026-01-01T00:00:00Z" };

    // Act
    const concernErrors = errorsOf(ConcernSubmissionSchema, concern);
    const agreementErrors = errorsOf(AgreementCreateSchema, agreement);

    // Assess
    expect(concernErrors).toContainEqual({ path: "", message: "unknown member(s): extra" });
    expect(concernErrors).toContainEqual({
      path: "/riskRating",
      message: 'Invalid option: expected one of "red"|"amber"|"green"',
    });
    expect(agreementErrors).toContainEqual({
      path: "/id",
      message: "Too small: expected string to have >=2 characters",
    });
    expect(agreementErrors).toContainEqual({
      path: "/title",
      message: "Invalid input: expected string, received undefined",
    });
  });
});
