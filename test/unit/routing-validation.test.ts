import { describe, expect, it } from "vitest";
import { DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { type RoutingRule, RoutingRuleSchema } from "../../shared/domain/registry.js";
import { validateRules } from "../../shared/domain/routing-validation.js";

/** Routing rules are validated whole before they replace the set (contract: Routing rules). */

function demoRule(id: string): RoutingRule {
  const found = DEMO_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no demo rule ${id}`);
  return structuredClone(found);
}

function rule(overrides: Partial<RoutingRule> = {}): RoutingRule {
  return {
    id: "custom-rule",
    concernTypes: ["missing_child"],
    recipient: { resolve: "area", type: "mash" },
    dataCategories: ["identity"],
    due: { kind: "after", duration: "PT1H" },
    ...overrides,
  };
}

/** A well-formed rule as the API receives it, before parsing. */
function rawRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "custom-rule",
    concernTypes: ["youth_offending"],
    conditions: { ageRange: { min: 10, max: 17 } },
    recipient: { resolve: "area", type: "youth_offending_service" },
    dataCategories: ["identity", "offences"],
    due: { kind: "by_risk", red: "PT4H", amber: "PT24H", green: "PT72H" },
    ...overrides,
  };
}

function issuePaths(input: unknown): string[] {
  const result = RoutingRuleSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => i.path.join("/"));
}

describe("validateRules", () => {
  it("finds nothing wrong with the demo rules and partners", () => {
    // Prepare
    const rules = DEMO_RULES;

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([]);
  });

  it("refuses an empty rule set: it would route nobody", () => {
    // Prepare
    const rules: RoutingRule[] = [];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: "/rules", message: expect.stringContaining("routes nobody") }]);
  });

  it("reports a duplicate rule id at the second rule's id", () => {
    // Prepare
    const rules = [...DEMO_RULES, demoRule("mash-all")];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: `/rules/${DEMO_RULES.length}/id`, message: expect.any(String) }]);
    expect(problems[0]?.message).toContain("mash-all");
  });

  it("reports every repeat of an id, each at its own index", () => {
    // Prepare
    const rules = [rule(), rule(), rule()];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems.map((p) => p.path)).toEqual(["/rules/1/id", "/rules/2/id"]);
  });

  it("reports a concern type listed twice", () => {
    // Prepare
    const rules = [demoRule("encompass-school"), rule({ concernTypes: ["missing_child", "missing_child"] })];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: "/rules/1/concernTypes", message: expect.any(String) }]);
  });

  it("reports a partnerId that is not registered", () => {
    // Prepare
    const rules = [rule({ id: "first" }), rule({ id: "second", recipient: { partnerId: "kent-mash" } })];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: "/rules/1/recipient/partnerId", message: expect.any(String) }]);
    expect(problems[0]?.message).toContain("kent-mash");
  });

  it("accepts a partnerId that is registered", () => {
    // Prepare
    const rules = [rule({ recipient: { partnerId: "essex-health" } })];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([]);
  });

  it("reports an area recipient of a type no partner is registered as", () => {
    // Prepare
    const rules = [rule({ recipient: { resolve: "area", type: "care_provider" } })];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: "/rules/0/recipient", message: expect.any(String) }]);
    expect(problems[0]?.message).toContain("care_provider");
  });

  it("reports subject_school when no school and no local authority (its fallback) is registered", () => {
    // Prepare
    const partners = DEMO_PARTNERS.filter((p) => p.type !== "school" && p.type !== "local_authority");

    // Act
    const problems = validateRules([demoRule("encompass-school")], partners);

    // Assess
    expect(problems.map((p) => p.path)).toEqual(["/rules/0/recipient"]);
  });

  it("reports police as a recipient type: police are the discloser", () => {
    // Prepare
    const rules = [rule(), rule({ id: "to-police", recipient: { resolve: "area", type: "police" } })];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toMatch(/^\/rules\/1\/recipient/);
  });

  it.each([0, 9])("reports a youth_offending-only rule whose age range stops at %d", (max) => {
    // Prepare
    const rules = [demoRule("youth-offending")];
    const [only] = rules;
    if (!only) throw new Error("no rule");
    only.conditions = { ageRange: { min: 0, max } };

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([{ path: "/rules/0/conditions/ageRange", message: expect.any(String) }]);
  });

  it("accepts a youth_offending-only rule whose age range reaches 10", () => {
    // Prepare
    const rules = [
      rule({ concernTypes: ["youth_offending"], conditions: { ageRange: { min: 0, max: 10 } } }),
    ];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([]);
  });

  it("accepts a young age range when the rule also routes other concern types", () => {
    // Prepare
    const rules = [
      rule({
        concernTypes: ["youth_offending", "missing_child"],
        conditions: { ageRange: { min: 0, max: 9 } },
      }),
    ];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems).toEqual([]);
  });

  it("reports several problems of one rule and of several rules, in rule order", () => {
    // Prepare
    const rules = [
      rule({ id: "a" }),
      rule({ id: "a", concernTypes: ["online_harm", "online_harm"], recipient: { partnerId: "nobody" } }),
      rule({ id: "b", recipient: { resolve: "area", type: "voluntary_sector" } }),
    ];

    // Act
    const problems = validateRules(rules, DEMO_PARTNERS);

    // Assess
    expect(problems.map((p) => p.path)).toEqual([
      "/rules/1/id",
      "/rules/1/concernTypes",
      "/rules/1/recipient/partnerId",
      "/rules/2/recipient",
    ]);
  });
});

describe("RoutingRuleSchema", () => {
  it("accepts every demo rule", () => {
    // Prepare
    const rules = DEMO_RULES;

    // Act
    const results = rules.map((r) => RoutingRuleSchema.safeParse(r).success);

    // Assess
    expect(results).toEqual(rules.map(() => true));
  });

  it("accepts a well-formed rule with weeks, days and seconds in its durations", () => {
    // Prepare
    const input = rawRule({ due: { kind: "by_risk", red: "PT30M", amber: "P1D", green: "P1W" } });

    // Act
    const result = RoutingRuleSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each(["1 hour", "P1Y", "P1M", "PT", "P", "PT0S", "-PT1H", "pt1h", ""])(
    "refuses the duration %j in an after rule",
    (duration) => {
      // Prepare
      const input = rawRule({ due: { kind: "after", duration } });

      // Act
      const paths = issuePaths(input);

      // Assess
      expect(paths).toContain("due/duration");
    },
  );

  it.each(["1 hour", "P1Y"])("refuses the duration %j as a by_risk amber", (amber) => {
    // Prepare
    const input = rawRule({ due: { kind: "by_risk", red: "PT4H", amber, green: "PT72H" } });

    // Act
    const paths = issuePaths(input);

    // Assess
    expect(paths).toEqual(["due/amber"]);
  });

  it("refuses an unknown partner type", () => {
    // Prepare
    const input = rawRule({ recipient: { resolve: "area", type: "fire_service" } });

    // Act
    const result = RoutingRuleSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(issuePaths(input).every((p) => p.startsWith("recipient"))).toBe(true);
  });

  it("refuses an age range whose min exceeds its max", () => {
    // Prepare
    const input = rawRule({ conditions: { ageRange: { min: 17, max: 10 } } });

    // Act
    const paths = issuePaths(input);

    // Assess
    expect(paths).toEqual(["conditions/ageRange/max"]);
  });

  it("accepts an age range of a single year", () => {
    // Prepare
    const input = rawRule({ conditions: { ageRange: { min: 12, max: 12 } } });

    // Act
    const result = RoutingRuleSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ["the rule", rawRule({ priority: 1 }), ""],
    ["conditions", rawRule({ conditions: { ageRange: { min: 10, max: 17 }, gender: "any" } }), "conditions"],
    [
      "the age range",
      rawRule({ conditions: { ageRange: { min: 10, max: 17, inclusive: true } } }),
      "conditions",
    ],
    ["the due rule", rawRule({ due: { kind: "after", duration: "PT1H", at: "09:00" } }), "due"],
  ])("refuses an unknown member of %s", (_where, input, pathPrefix) => {
    // Prepare
    const parse = () => RoutingRuleSchema.safeParse(input);

    // Act
    const result = parse();

    // Assess
    expect(result.success).toBe(false);
    expect(issuePaths(input).some((p) => p.startsWith(pathPrefix))).toBe(true);
  });

  it("refuses an unknown member of the recipient selector", () => {
    // Prepare
    const input = rawRule({ recipient: { partnerId: "essex-yos", type: "mash" } });

    // Act
    const result = RoutingRuleSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
  });

  it("refuses an unknown concern type and an unknown data category", () => {
    // Prepare
    const input = rawRule({ concernTypes: ["burglary"], dataCategories: ["bank_details"] });

    // Act
    const paths = issuePaths(input);

    // Assess
    expect(paths).toEqual(["concernTypes/0", "dataCategories/0"]);
  });
});
