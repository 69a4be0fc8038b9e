import type { APIGatewayAuthorizerResult } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../shared/api/routes.js";

/** The module reads its issuer and key-set URL at load: set them, then import it. */
type Authorizer = typeof import("../../functions/authorizer.js");
let authorizer: Authorizer;

beforeAll(async () => {
  process.env.LANTERN_ISSUER = "https://login.example.police.uk/";
  process.env.LANTERN_JWKS_URL = "https://login.example.police.uk/.well-known/jwks.json";
  authorizer = await import("../../functions/authorizer.js");
});

afterAll(() => {
  delete process.env.LANTERN_ISSUER;
  delete process.env.LANTERN_JWKS_URL;
});

const STAGE = "arn:aws:execute-api:eu-west-2:123456789012:a1b2c3d4e5/prod";
const methodArn = (method: string, path: string) => `${STAGE}/${method}${path}`;
const CALLED = methodArn("GET", "/v1/notifications/ntf_123");

/** The oracle, from the route table alone: a route's resource, path parameters as `*`. */
const resourceOf = (r: { method: string; path: string }) =>
  `${STAGE}/${r.method}${r.path.replace(/\{[^/]+\}/g, "*")}`;
const routesWithScope = (...scopes: string[]) =>
  routes.filter((r) => r.scope !== null && scopes.includes(r.scope)).map(resourceOf);
const PUBLIC = routes.filter((r) => r.scope === null).map(resourceOf);
const EVERY_SCOPE = [...new Set(routes.flatMap((r) => (r.scope === null ? [] : [r.scope])))];

const statementsOf = (result: APIGatewayAuthorizerResult) => result.policyDocument.Statement as unknown[];

describe("token authorizer policy", () => {
  it("opens exactly the routes of one scope, path parameters as *", () => {
    // Prepare
    const scopes = new Set(["notifications:read"]);

    // Act
    const allowed = authorizer.allowedResources(CALLED, scopes);

    // Assess
    expect(allowed.sort()).toEqual(
      [
        methodArn("GET", "/v1/notifications"),
        methodArn("GET", "/v1/notifications/*"),
        methodArn("GET", "/v1/notifications/*/deliveries"),
      ].sort(),
    );
    expect(allowed.sort()).toEqual(routesWithScope("notifications:read").sort());
  });

  it("opens the union of the routes of several scopes, and nothing else", () => {
    // Prepare
    const scopes = new Set(["concerns:submit", "concerns:read", "audit:checkpoint"]);

    // Act
    const allowed = authorizer.allowedResources(CALLED, scopes);

    // Assess
    expect(allowed.sort()).toEqual(routesWithScope(...scopes).sort());
    expect(allowed).toContain(methodArn("POST", "/v1/concerns"));
    expect(allowed).toContain(methodArn("POST", "/v1/audit/checkpoints"));
    expect(allowed).not.toContain(methodArn("GET", "/v1/audit/checkpoints"));
  });

  it("opens routing:read routes to a token holding routing:manage (the one implied scope)", () => {
    // Prepare
    const scopes = new Set(["routing:manage"]);

    // Act
    const allowed = authorizer.allowedResources(CALLED, scopes);

    // Assess
    expect(allowed.sort()).toEqual(routesWithScope("routing:manage", "routing:read").sort());
    expect(allowed).toEqual(
      expect.arrayContaining([methodArn("GET", "/v1/routing-rules"), methodArn("PUT", "/v1/routing-rules")]),
    );
  });

  it("allows every scoped route to a token with every scope, and never lists a public route", () => {
    // Prepare
    const scopes = new Set(EVERY_SCOPE);

    // Act
    const allowed = authorizer.allowedResources(CALLED, scopes);

    // Assess
    expect(allowed.sort()).toEqual(routesWithScope(...EVERY_SCOPE).sort());
    expect(PUBLIC.length).toBeGreaterThanOrEqual(3);
    for (const resource of PUBLIC) expect(allowed).not.toContain(resource);
  });

  it("answers the same policy whichever route is called first (API Gateway caches it by token)", () => {
    // Prepare
    const scopes = new Set(["audit:read"]);

    // Act
    const a = authorizer.policyFor("ig-officer", methodArn("GET", "/v1/audit/events"), scopes);
    const b = authorizer.policyFor("ig-officer", methodArn("POST", "/v1/concerns"), scopes);

    // Assess
    expect(a).toEqual(b);
    expect(a).toEqual({
      principalId: "ig-officer",
      policyDocument: {
        Version: "2012-10-17",
        Statement: [
          { Action: "execute-api:Invoke", Effect: "Allow", Resource: routesWithScope("audit:read") },
        ],
      },
    });
  });

  it("denies the whole stage to a token with no scope, or only scopes Lantern does not know", () => {
    // Prepare
    const none = new Set<string>();
    const unknown = new Set(["openid", "profile"]);

    // Act
    const policies = [none, unknown].map((scopes) => authorizer.policyFor("dsl", CALLED, scopes));

    // Assess
    for (const policy of policies) {
      expect(statementsOf(policy)).toEqual([
        { Action: "execute-api:Invoke", Effect: "Deny", Resource: `${STAGE}/*` },
      ]);
    }
    expect(authorizer.allowedResources(CALLED, none)).toEqual([]);
  });

  it("answers API Gateway's exact 'Unauthorized' to a header that is not a bearer token", async () => {
    // Prepare
    const event = { type: "TOKEN" as const, methodArn: CALLED, authorizationToken: "Basic dXNlcjpwYXNz" };

    // Act
    const outcome = authorizer.handler(event);

    // Assess
    await expect(outcome).rejects.toThrow(/^Unauthorized$/);
  });
});
