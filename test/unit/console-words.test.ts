import { describe, expect, it } from "vitest";
import {
  CONCERN_TYPE_NAMES,
  OUTCOME_NAMES,
  REFUSAL_NAMES,
  STATUS_NAMES,
  UNRESOLVED_NAMES,
} from "../../console/src/words.js";
import { DEMO_RULES } from "../../shared/demo-registry.js";
import {
  CONCERN_TYPES,
  NOTIFICATION_STATUSES,
  OUTCOMES,
  REFUSAL_REASONS,
} from "../../shared/domain/vocabulary.js";

/**
 * The console's pages are not type-checked with the hub (they are bundled for the browser),
 * so a code added to the vocabulary without words for people would show as its raw code:
 * these lists say so instead (docs/extending.md).
 */

const UNRESOLVED_REASONS = ["school_not_registered", "no_partner_for_area", "partner_not_registered"];

describe("the console's words", () => {
  it("name every concern type, notification status, refusal reason, unresolved route and outcome in the vocabulary", () => {
    // Prepare
    const missing = (codes: readonly string[], names: Record<string, unknown>) =>
      codes.filter((code) => !(code in names));

    // Act, Assess
    expect(missing(CONCERN_TYPES, CONCERN_TYPE_NAMES)).toEqual([]);
    expect(missing(REFUSAL_REASONS, REFUSAL_NAMES)).toEqual([]);
    expect(missing(UNRESOLVED_REASONS, UNRESOLVED_NAMES)).toEqual([]);
    expect(missing(OUTCOMES, OUTCOME_NAMES)).toEqual([]);
    expect(missing(NOTIFICATION_STATUSES, STATUS_NAMES)).toEqual([]);
  });

  it("route every concern type somewhere in the demo registry, so `npm start` shows it", () => {
    // Prepare
    const routed = new Set(DEMO_RULES.flatMap((rule) => rule.concernTypes));

    // Act, Assess
    expect(CONCERN_TYPES.filter((type) => !routed.has(type))).toEqual([]);
  });
});
