import { describe, expect, it } from "vitest";
import { METRICS } from "../../shared/config.js";

describe("the sweeper's overdue metric", () => {
  it("is one Embedded Metric Format line the stack's alarm reads", async () => {
    Object.assign(process.env, {
      LANTERN_ISSUER: "https://issuer.example",
      LANTERN_JWKS_URL: "https://issuer.example/jwks.json",
    });
    const { overdueMetricLine } = await import("../../functions/sweeper.js");
    const line = JSON.parse(overdueMetricLine(3, new Date("2026-11-24T00:00:00Z")));
    expect(line).toEqual({
      _aws: {
        Timestamp: Date.parse("2026-11-24T00:00:00Z"),
        CloudWatchMetrics: [
          {
            Namespace: METRICS.overdue.namespace,
            Dimensions: [[]],
            Metrics: [{ Name: METRICS.overdue.name, Unit: "Count" }],
          },
        ],
      },
      [METRICS.overdue.name]: 3,
    });
  });
});
