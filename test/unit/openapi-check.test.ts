import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../shared/api/openapi.js";
import { type Answer, OpenApiCheck } from "../support/openapi-check.js";

/**
 * The e2e suite's response check (test/support/openapi-check.ts) must be able to fail: each
 * kind of mismatch it exists for is caught, and a documented answer passes.
 */
describe("the OpenAPI response check", () => {
  const check = new OpenApiCheck(JSON.parse(JSON.stringify(openApiDocument())));
  const answer = (
    over: Partial<Answer> & { json?: unknown; type?: string; extra?: Record<string, string> },
  ) => {
    const { json, type = "application/json", extra = {}, ...rest } = over;
    return {
      method: "GET",
      path: "/v1/health",
      status: 200,
      text: JSON.stringify(json ?? { status: "ok", time: "2026-12-01T00:00:00.000Z" }),
      headers: new Headers({ "content-type": type, ...extra }),
      ...rest,
    };
  };
  const problem = { type: "https://example/problems/x", title: "X", status: 401, detail: "No token." };

  it("passes documented answers: a body, a problem with its required header, query strings ignored", () => {
    // Act
    const results = [
      check.problems(answer({})),
      check.problems(
        answer({
          path: "/v1/concerns/c_1?x=1",
          status: 401,
          json: problem,
          type: "application/problem+json",
          extra: { "www-authenticate": "Bearer" },
        }),
      ),
      check.problems(
        answer({
          path: "/v1/nowhere",
          status: 404,
          json: { ...problem, status: 404 },
          type: "application/problem+json",
        }),
      ),
    ];

    // Assess
    expect(results).toEqual([[], [], []]);
  });

  it("names the operation and what is wrong for each kind of mismatch", () => {
    // Act
    const results = {
      status: check.problems(answer({ status: 202 })),
      body: check.problems(answer({ json: { status: "down", time: "now" } })),
      contentType: check.problems(answer({ type: "text/html" })),
      header: check.problems(
        answer({ path: "/v1/concerns/c_1", status: 401, json: problem, type: "application/problem+json" }),
      ),
      problemBody: check.problems(
        answer({
          path: "/v1/concerns/c_1",
          status: 401,
          json: { title: "X" },
          type: "application/problem+json",
          extra: { "www-authenticate": "Bearer" },
        }),
      ),
      method: check.problems(
        answer({ method: "DELETE", status: 405, json: problem, type: "application/problem+json" }),
      ),
    };

    // Assess
    expect(results.status).toEqual([
      expect.stringMatching(
        /^GET \/v1\/health \(health\) answered 202, a status the document does not declare/,
      ),
    ]);
    expect(results.body.join()).toMatch(/health\) answered 200: body\/status must be equal to constant/);
    expect(results.contentType).toEqual([expect.stringContaining("Content-Type text/html is not declared")]);
    expect(results.header).toEqual([expect.stringContaining("required header WWW-Authenticate is missing")]);
    expect(results.problemBody.join()).toMatch(/must have required property 'type'/);
    expect(results.method).toEqual([expect.stringContaining("required header Allow is missing")]);
  });
});
