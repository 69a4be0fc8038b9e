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
  UNRESOLVED_REASONS,
} from "../../shared/domain/vocabulary.js";

/**
 * A code added to the vocabulary without words for people would show as its raw code. The
 * console's tables are typed by the vocabulary, so `npm run typecheck` (which checks
 * console/) fails first; this test says the same to a run of the unit tests alone.
 */

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
