import { beforeAll, describe, expect, it } from "vitest";
import { type Resource, resourcesOfType, synthesise } from "./template.js";

/** Powertools for AWS Lambda, configured by the stack the same way in every function. */

let resources: Record<string, Resource>;

beforeAll(() => {
  resources = synthesise("prod").template.toJSON().Resources as Record<string, Resource>;
}, 120_000);

const functions = () => resourcesOfType(resources, "AWS::Lambda::Function");
const variablesOf = (fn: Resource) =>
  (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};

describe("Powertools in every function", () => {
  it("names the service and traces with X-Ray, recording neither responses nor errors", () => {
    // Prepare, Act
    const all = functions();

    // Assess
    expect(all.length).toBeGreaterThanOrEqual(11);
    for (const [, fn] of all) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
      expect(variablesOf(fn)).toMatchObject({
        POWERTOOLS_SERVICE_NAME: "lantern",
        POWERTOOLS_TRACE_ENABLED: "true",
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
        POWERTOOLS_TRACER_CAPTURE_ERROR: "false",
      });
    }
  });

  it("never logs the invocation event, which holds the request body", () => {
    // Prepare, Act
    const logEvent = functions().map(([, fn]) => variablesOf(fn).POWERTOOLS_LOGGER_LOG_EVENT);

    // Assess
    expect(new Set(logEvent)).toEqual(new Set(["false"]));
    for (const [, fn] of functions()) expect(variablesOf(fn).POWERTOOLS_LOG_LEVEL).toBe("INFO");
  });
});
