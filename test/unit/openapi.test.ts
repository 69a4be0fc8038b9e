import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../shared/api/openapi.js";
import { type RouteSpec, routes } from "../../shared/api/routes.js";

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
  };

  it("is OpenAPI 3.1 and describes every route of the table, with its scope", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const route of routes as readonly RouteSpec[]) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.security).toEqual(route.scope ? [{ bearer: [route.scope] }] : []);
    }
  });

  it("resolves every $ref it uses", () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) {
      expect(
        doc.components[kind as "schemas" | "responses"][name as string],
        `${kind}/${name}`,
      ).toBeDefined();
    }
  });

  it("generates the concern schema from zod, strict and with the voice of the child required", () => {
    const concern = doc.components.schemas.ConcernSubmission as {
      additionalProperties: boolean;
      required: string[];
    };
    expect(concern.additionalProperties).toBe(false);
    expect(concern.required).toContain("voiceOfChild");
  });
});
