import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../shared/api/openapi.js";

/** What the hub answers besides JSON bodies, declared where a client generator looks for it. */
interface Header {
  required: boolean;
  schema: Record<string, unknown>;
}
interface Response {
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}
const doc = openApiDocument() as {
  info: { description: string };
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: { name: string; in: string; schema: Record<string, unknown> }[];
        responses: Record<string, Response>;
      }
    >
  >;
  components: { responses: Record<string, Response> };
};
const response = (path: string, method: string, status: string) => {
  const found = doc.paths[path]?.[method]?.responses[status];
  if (!found) throw new Error(`${method} ${path} declares no ${status}`);
  return found;
};

describe("the OpenAPI document declares every content type and header the hub answers with", () => {
  it("text/csv beside JSON for the subject-access report", () => {
    const content = response("/v1/audit/subjects/{subjectId}", "get", "200").content ?? {};
    expect(Object.keys(content).sort()).toEqual(["application/json", "text/csv; charset=utf-8"]);
    expect(content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/SubjectAccessReport" });
  });

  it("application/x-ndjson and application/fhir+ndjson for the export, with Link and X-Next-Cursor", () => {
    const exported = response("/v1/audit/export", "get", "200");
    expect(Object.keys(exported.content ?? {}).sort()).toEqual([
      "application/fhir+ndjson",
      "application/x-ndjson",
    ]);
    expect(exported.content?.["application/x-ndjson"]?.schema).toEqual({
      $ref: "#/components/schemas/AuditEvent",
    });
    expect(exported.content?.["application/fhir+ndjson"]?.schema).toMatchObject({
      properties: { resourceType: { const: "AuditEvent" } },
    });
    // Absent on the last page, so not required.
    expect(exported.headers?.Link).toMatchObject({ required: false, schema: { type: "string" } });
    expect(exported.headers?.["X-Next-Cursor"]).toMatchObject({
      required: false,
      schema: { type: "string" },
    });
  });

  it("WWW-Authenticate on 401 (always) and 403 (a missing scope), referenced by every secured route", () => {
    expect(doc.components.responses.Problem401?.headers?.["WWW-Authenticate"]?.required).toBe(true);
    expect(doc.components.responses.Problem403?.headers?.["WWW-Authenticate"]?.required).toBe(false);
    expect(response("/v1/concerns", "post", "401")).toEqual({ $ref: "#/components/responses/Problem401" });
  });

  it("Retry-After on 503, as whole seconds", () => {
    expect(doc.components.responses.Problem503?.headers?.["Retry-After"]).toEqual({
      description: "Seconds to wait before retrying.",
      required: true,
      schema: { type: "string", pattern: "^[0-9]+$" },
    });
    expect(response("/v1/concerns", "post", "503")).toEqual({ $ref: "#/components/responses/Problem503" });
  });

  it("Allow on 405, described for every path", () => {
    expect(doc.components.responses.Problem405?.headers?.Allow?.required).toBe(true);
    expect(doc.info.description).toContain("405 with an `Allow` header");
  });

  it("Location on what POST creates, Cache-Control on key sets", () => {
    for (const [path, status] of [
      ["/v1/concerns", "201"],
      ["/v1/partners", "201"],
      ["/v1/agreements", "201"],
    ] as const) {
      expect(response(path, "post", status).headers?.Location?.required, path).toBe(true);
    }
    expect(response("/v1/audit/keys", "get", "200").headers?.["Cache-Control"]?.required).toBe(true);
    expect(response("/.well-known/jwks.json", "get", "200").headers?.["Cache-Control"]?.required).toBe(true);
  });

  it("the Idempotency-Key header's limit", () => {
    const header = doc.paths["/v1/concerns"]?.post?.parameters.find((p) => p.name === "Idempotency-Key");
    expect(header).toMatchObject({ in: "header", schema: { type: "string", maxLength: 255 } });
  });
});
