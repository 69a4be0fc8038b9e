import { describe, expect, it } from "vitest";
import { examples } from "../../shared/api/examples.js";
import { openApiDocument } from "../../shared/api/openapi.js";
import { type OperationId, type RouteSpec, routes } from "../../shared/api/routes.js";

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

describe("the OpenAPI examples", () => {
  it("give every route with a body a request example that the route itself accepts", () => {
    for (const route of routes as readonly RouteSpec[]) {
      if (!route.body || route.bodyOptional) continue;
      const example = examples[route.operationId as OperationId]?.request;
      expect(example, route.operationId).toBeDefined();
      const result = route.body.safeParse(example);
      expect(result.success ? [] : result.error.issues, route.operationId).toEqual([]);
    }
  });

  it("show response examples that match the response schema", () => {
    for (const route of routes as readonly RouteSpec[]) {
      const example = examples[route.operationId as OperationId]?.response;
      if (example === undefined) continue;
      const success = Object.values(route.responses)[0];
      expect(success?.schema?.safeParse(example).success, route.operationId).toBe(true);
    }
  });
});
